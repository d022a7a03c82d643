// sessiond: its daemon on a fresh state dir, driven by SessionClient over the control socket
// (and by `sessionctl` for the CLI figure). Each session runs the bench worker as its one child.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { detectCgroups, removeParents, SessionClient, sweepLeftovers, type SessionInfo } from 'sessiond';
import { onCleanup } from '../cleanup.js';
import { Leftovers } from '../proc.js';
import { unitsUnderDaemon, type BenchContext, type OrphanGroup, type System, type Unit, type UnitOptions } from '../system.js';
import { spawnNode, stopChild, waitForLine } from './child.js';

const run = promisify(execFile);

export class SessiondSystem implements System {
  readonly name = 'sessiond' as const;
  readonly driver = 'SessionClient over the control socket (create resolves once the child is ready); CLI: sessionctl create --spec';
  private home = '';
  private daemon: ChildProcess | null = null;
  private client: SessionClient | null = null;
  private readonly leftovers = new Leftovers();
  private dropCleanup: (() => void) | null = null;

  constructor(
    private readonly ctx: BenchContext,
    /** Flags for the daemon (`--cgroups off`, say). */
    private readonly daemonArgs: readonly string[] = [],
  ) {}

  async setup(): Promise<void> {
    this.dropCleanup = onCleanup(() => this.teardown());
    this.home = await mkdtemp(join(this.ctx.tmp, 'sessiond-'));
    await writeFile(join(this.home, 'bench-spec.json'), JSON.stringify(this.spec({})));
    this.daemon = spawnNode(join(this.ctx.repo, 'dist/daemon/sessiond.js'), ['--home', this.home, ...this.daemonArgs], process.env, ['ignore', 'pipe', 'inherit']);
    await waitForLine(this.daemon, /listening/, 15_000);
    this.client = new SessionClient({ home: this.home });
  }

  async teardown(): Promise<void> {
    const daemon = this.daemon;
    this.daemon = null;
    if (this.client) {
      // `stop` terminates every session, then the daemon exits; a killed daemon just fails here.
      await withTimeout(this.client.stop(), 20_000).catch(() => undefined);
      this.client.close();
      this.client = null;
    }
    if (daemon) await stopChild(daemon, 10_000);
    this.leftovers.killAll();
    if (this.home) await removeCgroups(this.home);
    if (this.home) await rm(this.home, { recursive: true, force: true });
    this.home = '';
    this.dropCleanup?.();
    this.dropCleanup = null;
  }

  async start(name: string, options: UnitOptions = {}): Promise<Unit> {
    return this.unitOf(await this.requireClient().create(this.spec({ id: name, ...options })));
  }

  /** A session of any spec (the limits scenario's), as the daemon returns it once it is active. */
  async createSession(spec: Record<string, unknown>): Promise<SessionInfo> {
    const info = await this.requireClient().create(spec);
    this.unitOf(info);
    return info;
  }

  get repo(): string {
    return this.ctx.repo;
  }

  /** The daemon's status, `cgroups` included. */
  status() {
    return this.requireClient().status();
  }

  async startViaCli(name: string): Promise<Unit> {
    const cli = join(this.ctx.repo, 'dist/src/cli/sessionctl.js');
    const spec = join(this.home, 'bench-spec.json');
    await run(process.execPath, [cli, '--home', this.home, 'create', '--spec', spec, '--id', name]);
    return this.unitOf(await this.requireClient().getSessionInfo(name));
  }

  async stop(unit: Unit): Promise<void> {
    await this.requireClient().terminateSession(unit.id);
  }

  send(unit: Unit, body: unknown): Promise<unknown> {
    return this.requireClient().send(unit.id, body);
  }

  async list(): Promise<number> {
    return (await this.requireClient().listSessions()).length;
  }

  daemonPid(): number | null {
    return this.daemon?.pid ?? null;
  }

  orphanGroup(count: number): Promise<OrphanGroup> {
    return unitsUnderDaemon(this, count);
  }

  private spec(options: UnitOptions & { id?: string }) {
    return {
      ...(options.id === undefined ? {} : { id: options.id }),
      // Many crashes in a row are the crash scenario, not a reason to give up.
      maxRestarts: 10_000,
      maxSeconds: 1,
      children: [
        {
          name: 'worker',
          file: this.ctx.worker,
          env: { BENCH_READY: 'sessiond', BENCH_HUB: this.ctx.hub.path, ...(options.ignoreTerm ? { BENCH_IGNORE_TERM: '1' } : {}) },
        },
      ],
    };
  }

  private unitOf(info: SessionInfo): Unit {
    const workerPid = info.children[0]?.pid ?? -1;
    const pids = [info.supervisorPid ?? -1, ...info.children.map((c) => c.pid ?? -1)].filter((pid) => pid > 0);
    this.leftovers.add(pids);
    return { id: info.id, pids, workerPid };
  }

  private requireClient(): SessionClient {
    if (!this.client) throw new Error('sessiond: not set up');
    return this.client;
  }
}

// A daemon SIGKILLed (the orphan scenario) leaves its session groups for its next start, which never comes: sweep them as it would.
async function removeCgroups(home: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const support = detectCgroups({ stateDir: home });
  if (support.mode === 'none') return;
  await sweepLeftovers(support);
  await removeParents(support);
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
