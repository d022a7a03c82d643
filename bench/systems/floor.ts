// The floor: the bench itself spawns the bare worker and kills it. Its "supervisor" is the
// least one can write: respawn on an unasked exit, SIGTERM then SIGKILL after 5 s on stop.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { onCleanup } from '../cleanup.js';
import { Leftovers } from '../proc.js';
import type { BenchContext, OrphanGroup, System, Unit, UnitOptions } from '../system.js';
import { hasExited, spawnNode, stopChild, waitForLine } from './child.js';

interface FloorUnit extends Unit {
  child: ChildProcess;
  stopping: boolean;
}

export class FloorSystem implements System {
  readonly name = 'floor' as const;
  readonly driver = 'child_process.spawn of the worker with an IPC channel; ready = its process.send("ready")';
  private readonly units = new Set<FloorUnit>();
  private readonly extra = new Set<ChildProcess>();
  private readonly leftovers = new Leftovers();
  private dropCleanup: (() => void) | null = null;

  constructor(private readonly ctx: BenchContext) {}

  async setup(): Promise<void> {
    this.dropCleanup = onCleanup(() => this.teardown());
  }

  async teardown(): Promise<void> {
    for (const unit of this.units) unit.stopping = true;
    for (const unit of this.units) unit.child.kill('SIGKILL');
    for (const child of this.extra) child.kill('SIGKILL');
    this.leftovers.killAll();
    this.units.clear();
    this.extra.clear();
    this.dropCleanup?.();
    this.dropCleanup = null;
  }

  async start(name: string, options: UnitOptions = {}): Promise<Unit> {
    const env = this.env(name, options);
    const unit: FloorUnit = { id: name, pids: [], workerPid: -1, child: null as unknown as ChildProcess, stopping: false };
    await this.spawnWorker(unit, env);
    this.units.add(unit);
    return unit;
  }

  async stop(unit: Unit): Promise<void> {
    const floorUnit = unit as FloorUnit;
    floorUnit.stopping = true;
    await stopChild(floorUnit.child, 5000);
    this.units.delete(floorUnit);
  }

  daemonPid(): null {
    return null;
  }

  // A bare parent holding workers over IPC; SIGKILL it and they leave when their channel closes.
  async orphanGroup(count: number): Promise<OrphanGroup> {
    const parent = spawnNode(join(this.ctx.repo, 'bench/workers/parent.mjs'), [String(count)], process.env, ['ignore', 'pipe', 'inherit']);
    this.extra.add(parent);
    const line = await waitForLine(parent, /^\[/, 30_000);
    const pids = JSON.parse(line) as number[];
    this.leftovers.add(pids);
    return { pids, killDaemon: () => parent.kill('SIGKILL') };
  }

  private env(name: string, options: UnitOptions): NodeJS.ProcessEnv {
    return {
      ...process.env,
      BENCH_READY: 'ipc',
      BENCH_HUB: this.ctx.hub.path,
      BENCH_UNIT: name,
      ...(options.ignoreTerm ? { BENCH_IGNORE_TERM: '1' } : {}),
    };
  }

  private async spawnWorker(unit: FloorUnit, env: NodeJS.ProcessEnv): Promise<void> {
    const child = spawnNode(this.ctx.worker, [], env, ['ignore', 'ignore', 'inherit', 'ipc']);
    unit.child = child;
    unit.workerPid = child.pid ?? -1;
    unit.pids = [unit.workerPid];
    // Respawn at once on an exit nobody asked for: the crash scenario's floor.
    child.once('exit', () => {
      if (!unit.stopping) void this.spawnWorker(unit, env).catch(() => undefined);
    });
    const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit')])) as unknown[];
    if (message !== 'ready' || hasExited(child)) throw new Error(`floor: worker ${unit.id} exited before ready`);
  }
}
