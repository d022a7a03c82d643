// sessiond: its daemon on a fresh state dir, driven by SessionClient over the control socket
// (and by `sessionctl` for the CLI figure). Two variants, each its own system in the report:
// - `sessiond`: the daemon's defaults (spares on, `--warm 1`); a create is a default session
//   (the Placeholder, no children), as `sessionctl create` makes, unless the scenario needs the
//   bench worker (crash, terminate): then the session takes the spare's supervisor alone;
// - `sessiond-cold`: spares off (`--warm 0`); each session runs the bench worker as its one
//   child (a Node module), like for like with the peers' worker.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { detectCgroups, removeParents, SessionClient, sweepLeftovers, type SessionInfo } from 'sessiond';
import { onCleanup } from '../cleanup.js';
import { Leftovers, quiescent } from '../proc.js';
import { unitsUnderDaemon, type BenchContext, type OrphanGroup, type System, type Unit, type UnitOptions } from '../system.js';
import { spawnNode, stopChild, waitForLine } from './child.js';

const run = promisify(execFile);

export interface SessiondVariant {
  readonly name: 'sessiond' | 'sessiond-cold';
  /** `sessiond --warm N`: spare sessions kept ahead of need. */
  readonly warm: number;
}

export const SESSIOND_VARIANTS: Readonly<Record<SessiondVariant['name'], SessiondVariant>> = {
  sessiond: { name: 'sessiond', warm: 1 },
  'sessiond-cold': { name: 'sessiond-cold', warm: 0 },
};

export class SessiondSystem implements System {
  readonly name: SessiondVariant['name'];
  readonly driver: string;
  private home = '';
  private daemon: ChildProcess | null = null;
  private client: SessionClient | null = null;
  private readonly leftovers = new Leftovers();
  private dropCleanup: (() => void) | null = null;

  constructor(
    private readonly ctx: BenchContext,
    private readonly variant: SessiondVariant = SESSIOND_VARIANTS.sessiond,
    /** More flags for the daemon (`--cgroups off`, say). */
    private readonly daemonArgs: readonly string[] = [],
  ) {
    this.name = variant.name;
    this.driver =
      variant.warm > 0
        ? `sessiond --warm ${variant.warm} (its default): SessionClient create of a default session (the Placeholder; the bench worker where a scenario needs it); CLI: sessionctl create`
        : 'sessiond --warm 0 (spares off): SessionClient create of a session whose one child is the bench worker; CLI: sessionctl create --spec';
  }

  async setup(): Promise<void> {
    this.dropCleanup = onCleanup(() => this.teardown());
    this.isolatedSpares = false; // a new daemon keeps isolated spares only once it is asked for an isolated create
    this.home = await mkdtemp(join(this.ctx.tmp, `${this.name}-`));
    await writeFile(join(this.home, 'bench-spec.json'), JSON.stringify(this.spec({})));
    const args = ['--home', this.home, '--warm', String(this.variant.warm), ...this.daemonArgs];
    this.daemon = spawnNode(join(this.ctx.repo, 'dist/daemon/sessiond.js'), args, process.env, ['ignore', 'pipe', 'inherit']);
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
    // A default session has no id of its own: that is what lets it take a whole spare.
    if (options.isolate) this.isolatedSpares = true;
    const input = this.defaultSessions(options) ? (options.isolate ? { isolate: true } : {}) : this.spec({ id: name, ...options });
    return this.unitOf(await this.requireClient().create(input));
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
    const args = this.defaultSessions({}) ? [] : ['--spec', join(this.home, 'bench-spec.json'), '--id', name];
    // --json: its pids come with the reply, no request of ours after it inside the time.
    const { stdout } = await run(process.execPath, [this.ctx.sessionctl, '--home', this.home, 'create', ...args, '--json']);
    return this.unitOf(JSON.parse(stdout) as SessionInfo);
  }

  async cliStartup(): Promise<void> {
    await run(process.execPath, [this.ctx.sessionctl, 'registry-key', 'x']);
  }

  // Polled, outside any timing: the daemon lists a spare once its Placeholder is spawned, and the
  // bench waits until both its processes are idle too (the Placeholder loaded, waiting for its init).
  async settle(): Promise<void> {
    if (this.variant.warm === 0) return;
    for (const deadline = performance.now() + 15_000; performance.now() < deadline; await sleep(10)) {
      const spares = await this.readySpares();
      if (spares.length >= this.variant.warm * (this.isolatedSpares ? 2 : 1) && (await quiescent(spares.flatMap((s) => [s.supervisorPid, s.placeholderPid!])))) return;
    }
    throw new Error(`${this.name}: no spare ready and idle within 15 s`);
  }

  async sparePids(): Promise<number[]> {
    return (await this.readySpares()).flatMap((s) => [s.supervisorPid, s.placeholderPid!]);
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

  // The spares are the daemon's processes too: none may outlive its SIGKILL either.
  async orphanGroup(count: number): Promise<OrphanGroup> {
    const group = await unitsUnderDaemon(this, count);
    await this.settle();
    const spares = await this.sparePids();
    this.leftovers.add(spares);
    return { pids: [...group.pids, ...spares], killDaemon: group.killDaemon };
  }

  /** Once an isolated session was asked for, the daemon keeps isolated spares beside the plain ones. */
  private isolatedSpares = false;

  private defaultSessions(options: UnitOptions): boolean {
    return this.variant.warm > 0 && !options.worker && !options.ignoreTerm;
  }

  private async readySpares() {
    const status = await this.requireClient().request('status', {});
    return (status.spares ?? []).filter((s) => s.placeholderPid !== null);
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
    if (!this.client) throw new Error(`${this.name}: not set up`);
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
