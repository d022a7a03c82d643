// supervisord (Debian package `supervisor`), run in the foreground on a temp dir and driven over
// XML-RPC on its Unix socket. Its programs are declared up front (autostart=false), one per
// unit the scenario may hold at once: `start` is startProcess, `stop` is stopProcess.
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { onCleanup } from '../cleanup.js';
import { Leftovers } from '../proc.js';
import { unitsUnderDaemon, type BenchContext, type OrphanGroup, type System, type Unit, type UnitOptions } from '../system.js';
import { xmlRpc } from '../xmlrpc.js';
import { stopChild } from './child.js';

/** The supervisord binary's version, or null when it is not installed. */
export function supervisordVersion(): string | null {
  const result = spawnSync('supervisord', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

const IGNORING_SLOTS = 2;

export class SupervisordSystem implements System {
  readonly name = 'supervisord' as const;
  readonly driver: string;
  private dir = '';
  private daemon: ChildProcess | null = null;
  private free: string[] = [];
  private freeIgnoring: string[] = [];
  private readonly leftovers = new Leftovers();
  private dropCleanup: (() => void) | null = null;

  constructor(private readonly ctx: BenchContext, version: string) {
    this.driver = `supervisord ${version} over XML-RPC on its Unix socket: startProcess / stopProcess of programs declared up front (startsecs=0, stopwaitsecs=5, stopasgroup)`;
  }

  private get socket(): string {
    return join(this.dir, 'supervisor.sock');
  }

  async setup(capacity: number): Promise<void> {
    this.dropCleanup = onCleanup(() => this.teardown());
    this.dir = await mkdtemp(join(this.ctx.tmp, 'supervisord-'));
    this.free = Array.from({ length: capacity }, (_, i) => `c${i}`);
    this.freeIgnoring = Array.from({ length: IGNORING_SLOTS }, (_, i) => `t${i}`);
    const conf = join(this.dir, 'supervisord.conf');
    await writeFile(conf, this.config());
    this.daemon = spawn('supervisord', ['-n', '-c', conf], { stdio: 'ignore' });
    for (const deadline = performance.now() + 15_000; ; await sleep(20)) {
      if (await xmlRpc(this.socket, 'supervisor.getState').then(() => true, () => false)) break;
      if (performance.now() > deadline || this.daemon.exitCode !== null) throw new Error(`supervisord did not come up on ${this.socket}`);
    }
  }

  async teardown(): Promise<void> {
    const daemon = this.daemon;
    this.daemon = null;
    if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
      await xmlRpc(this.socket, 'supervisor.shutdown').catch(() => undefined);
      await stopChild(daemon, 20_000);
    }
    this.leftovers.killAll();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = '';
    this.dropCleanup?.();
    this.dropCleanup = null;
  }

  async start(_name: string, options: UnitOptions = {}): Promise<Unit> {
    const slot = (options.ignoreTerm ? this.freeIgnoring : this.free).pop();
    if (slot === undefined) throw new Error('supervisord: no free program slot (capacity too small)');
    const ready = this.ctx.hub.next(slot, 60_000);
    try {
      await xmlRpc(this.socket, 'supervisor.startProcess', [slot, false]);
    } catch (error) {
      ready.catch(() => undefined);
      (options.ignoreTerm ? this.freeIgnoring : this.free).push(slot);
      throw error;
    }
    const { pid } = await ready;
    this.leftovers.add([pid]);
    return { id: slot, pids: [pid], workerPid: pid };
  }

  async stop(unit: Unit): Promise<void> {
    await xmlRpc(this.socket, 'supervisor.stopProcess', [unit.id, true]);
    (unit.id.startsWith('t') ? this.freeIgnoring : this.free).push(unit.id);
  }

  async list(): Promise<number> {
    return ((await xmlRpc(this.socket, 'supervisor.getAllProcessInfo')) as unknown[]).length;
  }

  daemonPid(): number | null {
    return this.daemon?.pid ?? null;
  }

  orphanGroup(count: number): Promise<OrphanGroup> {
    return unitsUnderDaemon(this, count);
  }

  private config(): string {
    const program = (name: string, ignoreTerm: boolean) => `
[program:${name}]
command=${process.execPath} ${this.ctx.worker}
autostart=false
autorestart=true
startsecs=0
startretries=1000000
stopsignal=TERM
stopwaitsecs=5
stopasgroup=true
killasgroup=true
stdout_logfile=NONE
stderr_logfile=NONE
environment=BENCH_READY="none",BENCH_HUB="${this.ctx.hub.path}",BENCH_UNIT="${name}"${ignoreTerm ? ',BENCH_IGNORE_TERM="1"' : ''}
`;
    return `[unix_http_server]
file=${this.socket}
chmod=0700

[supervisord]
logfile=${join(this.dir, 'supervisord.log')}
pidfile=${join(this.dir, 'supervisord.pid')}
childlogdir=${this.dir}
loglevel=warn

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
${this.free.map((n) => program(n, false)).join('')}${this.freeIgnoring.map((n) => program(n, true)).join('')}`;
  }
}
