// PM2, driven by its programmatic API with a private PM2_HOME. PM2 is AGPL: the bench installs it
// on first use into a cache dir outside the repo; it is never a dependency of sessiond.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onCleanup } from '../cleanup.js';
import { isGone, Leftovers, procRef, killAll } from '../proc.js';
import { unitsUnderDaemon, type BenchContext, type OrphanGroup, type System, type Unit, type UnitOptions } from '../system.js';
import { withTimeout } from './sessiond.js';

export const PM2_VERSION = '7.0.4';

type Callback<T> = (error: Error | null, result: T) => void;
interface Pm2Process {
  readonly name?: string;
  readonly pid?: number;
}
interface Pm2Api {
  connect(noDaemon: boolean, cb: Callback<unknown>): void;
  start(options: Record<string, unknown>, cb: Callback<unknown>): void;
  delete(name: string, cb: Callback<unknown>): void;
  describe(name: string, cb: Callback<Pm2Process[]>): void;
  list(cb: Callback<Pm2Process[]>): void;
  killDaemon(cb: Callback<unknown>): void;
  disconnect(cb?: () => void): void;
}
interface Pm2Module {
  custom: new (options: { pm2_home: string; daemon_mode: boolean }) => Pm2Api;
}

export function pm2Dir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sessiond-bench', 'pm2');
}

export function pm2Installed(): boolean {
  return existsSync(join(pm2Dir(), 'node_modules', 'pm2', 'package.json'));
}

/** npm install --prefix <cache> pm2@PM2_VERSION, once. */
export async function installPm2(): Promise<void> {
  if (pm2Installed()) return;
  await mkdir(pm2Dir(), { recursive: true });
  console.error(`bench: installing pm2@${PM2_VERSION} into ${pm2Dir()} (first use; AGPL, outside the repo)…`);
  await promisify(execFile)('npm', ['install', '--prefix', pm2Dir(), '--no-audit', '--no-fund', `pm2@${PM2_VERSION}`], { timeout: 180_000 });
}

// Every call is bounded: PM2's daemon can die under load (EMFILE at 200 apps here) and its API then never answers.
function call<T>(fn: (cb: Callback<T>) => void, timeoutMs = 60_000): Promise<T> {
  return withTimeout(new Promise<T>((resolve, reject) => fn((error, result) => (error ? reject(error) : resolve(result)))), timeoutMs);
}

export class Pm2System implements System {
  readonly name = 'pm2' as const;
  readonly driver = `PM2 ${PM2_VERSION} API: start with wait_ready (worker calls process.send('ready')), delete; kill_timeout 5000, other options PM2's defaults`;
  private home = '';
  private api: Pm2Api | null = null;
  private daemon: ReturnType<typeof procRef> = null;
  private readonly leftovers = new Leftovers();
  private dropCleanup: (() => void) | null = null;

  constructor(private readonly ctx: BenchContext) {}

  async setup(): Promise<void> {
    this.dropCleanup = onCleanup(() => this.teardown());
    this.home = await mkdtemp(join(this.ctx.tmp, 'pm2-'));
    // Read when PM2 loads and passed on to its daemon: a private home, no update check, no banners.
    Object.assign(process.env, { PM2_HOME: this.home, PM2_DISABLE_VERSION_CHECK: 'true', PM2_PROGRAMMATIC: 'true', PM2_SILENT: 'true' });
    const pm2 = createRequire(join(pm2Dir(), 'package.json'))('pm2') as Pm2Module;
    this.api = new pm2.custom({ pm2_home: this.home, daemon_mode: true });
    await call((cb) => this.api!.connect(false, cb), 30_000);
    const pid = Number(readFileSync(join(this.home, 'pm2.pid'), 'utf8'));
    this.daemon = procRef(pid);
  }

  async teardown(): Promise<void> {
    const api = this.api;
    this.api = null;
    if (api) {
      if (this.daemon && !isGone(this.daemon.pid)) await call((cb) => api.killDaemon(cb), 15_000).catch(() => undefined);
      api.disconnect();
    }
    if (this.daemon) killAll([this.daemon]);
    this.daemon = null;
    this.leftovers.killAll();
    if (this.home) await rm(this.home, { recursive: true, force: true });
    this.home = '';
    this.dropCleanup?.();
    this.dropCleanup = null;
  }

  async start(name: string, options: UnitOptions = {}): Promise<Unit> {
    const api = this.requireApi();
    await call((cb) =>
      api.start(
        {
          name,
          script: this.ctx.worker,
          exec_mode: 'fork',
          wait_ready: true,
          listen_timeout: 10_000,
          kill_timeout: 5000,
          autorestart: true,
          max_restarts: 1_000_000,
          min_uptime: 0,
          restart_delay: 0,
          out_file: '/dev/null',
          error_file: '/dev/null',
          env: { BENCH_READY: 'ipc', BENCH_HUB: this.ctx.hub.path, BENCH_UNIT: name, ...(options.ignoreTerm ? { BENCH_IGNORE_TERM: '1' } : {}) },
        },
        cb,
      ),
    );
    const [described] = await call<Pm2Process[]>((cb) => api.describe(name, cb));
    const pid = described?.pid ?? -1;
    this.leftovers.add([pid]);
    return { id: name, pids: [pid], workerPid: pid };
  }

  async stop(unit: Unit): Promise<void> {
    const api = this.requireApi();
    await call((cb) => api.delete(unit.id, cb));
  }

  async list(): Promise<number> {
    const api = this.requireApi();
    return (await call<Pm2Process[]>((cb) => api.list(cb))).length;
  }

  daemonPid(): number | null {
    return this.daemon?.pid ?? null;
  }

  orphanGroup(count: number): Promise<OrphanGroup> {
    return unitsUnderDaemon(this, count);
  }

  private requireApi(): Pm2Api {
    if (!this.api) throw new Error('pm2: not set up');
    return this.api;
  }
}
