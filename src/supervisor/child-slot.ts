import { describeExit, type ChildStatus, type ExitInfo } from '../contract/session.js';
import type { ChildSpec } from '../contract/spec.js';
import { isFromChild, type ChildInit, type ToChild } from '../ipc/child-messages.js';
import type { ChildState } from '../ipc/supervisor-messages.js';
import { leafFrozen, type ChildrenLeaf } from '../cgroup/children-leaf.js';
import { killGroups } from '../process/kill.js';
import { markerEnv, type RunMarker } from '../process/marker.js';
import { killProcess, stopProcess } from '../process/stop.js';
import { spawnProcess, type Spawned } from '../process/spawn-child.js';
import { ChildLog, type LogRotation, type LogSink } from '../logs/child-log.js';
import { ChildCalls } from './child-calls.js';
import { nodeFlags, type NodeResolve } from './node-flags.js';

// What a newcomer's Node module that never says ready is missing.
const NOT_READY_HINT = `a Node module child must call startChild() from 'sessiond/child', which says ready; a program that does not is run as a command: --command "NAME=node FILE"`;

export interface SlotHooks {
  /** Run `run` exited without being asked to stop (a crash, or a normal exit). */
  onExit(slot: ChildSlot, exit: ExitInfo, run: number): void;
  onHung(slot: ChildSlot): void;
  onActivity(slot: ChildSlot): void;
  /** A run was spawned: its pid is known before it is ready. */
  onSpawned(slot: ChildSlot): void;
  onPublish(slot: ChildSlot, topic: string, data: unknown): void;
}

export interface SlotOptions {
  readonly init: Omit<ChildInit, 'name'>;
  readonly startTimeoutMs: number;
  readonly missedHeartbeats: number;
  /** Its log file, or where its records are relayed (an isolated session's); null: nowhere. */
  readonly logPath: string | LogSink | null;
  readonly logRotation?: LogRotation | undefined;
  readonly nodeResolve?: NodeResolve | undefined;
  /** The session's children leaf: each run enters it before its program runs; a frozen leaf misses no heartbeat. */
  readonly leaf?: ChildrenLeaf | undefined;
}

/**
 * One supervised child, as OTP's child record: its spec and state stay, its process (one run)
 * comes and goes. The slot runs the handshake (init → ready), the heartbeat and the stop.
 */
export class ChildSlot {
  status: ChildStatus = 'stopped';
  restarts = 0;
  lastExit: ExitInfo | null = null;
  /** While it waits out a restart delay: when it starts again (ISO). */
  nextRestartAt: string | null = null;
  private proc: Spawned | null = null;
  /** Its consecutive crashes, for the restart backoff (the supervisor counts them). */
  crashes = 0;
  private stopping = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private runs = 0;
  /** When the current run became ready (performance.now()). */
  private readyAt: number | null = null;
  private readonly calls = new ChildCalls();
  readonly log: ChildLog;
  /** Node's flags for a module child: what lets it import 'sessiond/child' from anywhere. */
  private readonly nodeArgs: readonly string[];

  constructor(
    readonly spec: ChildSpec,
    private readonly options: SlotOptions,
    private readonly hooks: SlotHooks,
  ) {
    this.log = new ChildLog(options.logPath, options.logRotation);
    this.nodeArgs = spec.file === undefined ? [] : nodeFlags(spec.file, spec.cwd, options.nodeResolve);
  }

  /** The pid of the current run while it runs; never -1 (a spawn that failed has none). */
  get pid(): number | null {
    return this.proc && this.proc.pid > 0 && !this.proc.hasExited() ? this.proc.pid : null;
  }

  /** The number of the current run: an exit of an earlier one is stale. */
  get run(): number {
    return this.runs;
  }

  /** How long the current run has been ready, in ms (0 if it never was). */
  ranMs(): number {
    return this.readyAt === null ? 0 : performance.now() - this.readyAt;
  }

  /** Delivers a `send` to a Node child's onMessage handler and resolves with its reply. */
  call(body: unknown): Promise<unknown> {
    return this.calls.call((id) => this.send({ type: 'sessiond:call', id, body }));
  }

  state(): ChildState {
    return { name: this.spec.name, pid: this.pid, status: this.status, restarts: this.restarts, lastExit: this.lastExit, nextRestartAt: this.nextRestartAt };
  }

  /**
   * Starts one run. Resolves null once the child is ready (a Node child sent `ready`, a command
   * was spawned), else why it is not: it exited first, or missed the start timeout (it is then
   * killed, and its exit reported as any other). `deadline` (epoch ms) defaults to the start
   * timeout from now.
   */
  start(deadline = Date.now() + this.options.startTimeoutMs, prespawned?: Spawned): Promise<string | null> {
    const { spec } = this;
    this.status = 'starting';
    this.stopping = false;
    this.nextRestartAt = null;
    this.readyAt = null;
    this.log.resetTail();
    const target = spec.file !== undefined ? { file: spec.file } : { command: spec.command! };
    this.runs += 1;
    const env = { ...spec.env, ...markerEnv(this.marker) };
    // A spare's Placeholder was spawned ahead, with this run's marker: it only needs its init.
    const proc = prespawned ?? spawnProcess(target, { args: spec.args, env, cwd: spec.cwd, stdout: 'pipe', stderr: 'pipe', nodeArgs: this.nodeArgs, leaf: this.options.leaf });
    this.proc = proc;
    this.log.attach(proc.subprocess.stdout, 'out');
    this.log.attach(proc.subprocess.stderr, 'err');
    void proc.exited.then((exit) => this.exited(proc, exit));
    if (proc.pid > 0) this.hooks.onSpawned(this);
    if (spec.file === undefined) {
      if (proc.pid > 0) {
        this.status = 'running';
        this.readyAt = performance.now();
      }
      return Promise.resolve(proc.pid > 0 ? null : `could not spawn ${spec.command}`);
    }
    return this.handshake(proc, deadline);
  }

  /** Stops the current run: SIGTERM, SIGKILL of the tree after `graceMs` (default: its shutdownMs). */
  async stop(graceMs = this.spec.shutdownMs): Promise<void> {
    const proc = this.proc;
    this.stopping = true;
    this.stopHeartbeat();
    if (!proc) return;
    this.status = 'stopping';
    this.send({ type: 'sessiond:shutdown' });
    await stopProcess(proc, graceMs, [], this.marker);
    this.status = 'stopped';
  }

  /** SIGKILLs the current run's tree at once; its exit is reported as a crash. */
  async kill(): Promise<void> {
    if (this.proc) await killProcess(this.proc, [], this.marker);
  }

  /** The current run's marker: killing a run never reaches the next one of this child. */
  private get marker(): RunMarker {
    return { session: this.options.init.session, child: this.spec.name, run: this.runs };
  }

  private handshake(proc: Spawned, deadline: number): Promise<string | null> {
    const { subprocess } = proc;
    let missed = 0;
    let seq = 0;
    const limitMs = Math.max(0, deadline - Date.now());
    return new Promise<string | null>((resolve) => {
      const timeout = setTimeout(() => {
        resolve(`was not ready within the start timeout (${this.options.startTimeoutMs} ms): ${NOT_READY_HINT}`);
        void killProcess(proc, [], this.marker);
      }, limitMs);
      void proc.exited.then((exit) => {
        clearTimeout(timeout);
        resolve(`exited (${describeExit(exit)}) before it was ready`);
      });
      subprocess.on('message', (message: unknown) => {
        if (!isFromChild(message) || this.proc !== proc) return;
        switch (message.type) {
          case 'sessiond:ready':
            clearTimeout(timeout);
            if (this.status === 'starting') this.status = 'running';
            this.readyAt = performance.now();
            this.startHeartbeat(() => {
              // Paused: the daemon froze the children, not us; their silence is no hang, and no ping piles up.
              if (leafFrozen(this.options.leaf)) return void (missed = 0);
              if (++missed > this.options.missedHeartbeats) {
                this.stopHeartbeat();
                return this.hooks.onHung(this);
              }
              this.send({ type: 'sessiond:ping', seq: ++seq });
            });
            resolve(null);
            break;
          case 'sessiond:pong':
            missed = 0;
            break;
          case 'sessiond:activity':
            this.hooks.onActivity(this);
            break;
          case 'sessiond:reply':
            this.calls.settle(message.id, message);
            break;
          case 'sessiond:publish':
            this.hooks.onPublish(this, message.topic, message.data);
            break;
        }
      });
      this.send({ type: 'sessiond:init', init: { ...this.options.init, name: this.spec.name, cwd: this.spec.cwd } });
    });
  }

  // Whatever is left of the run's tree is SIGKILLed at once, before anything else happens.
  private async exited(proc: Spawned, exit: ExitInfo): Promise<void> {
    if (this.proc !== proc) return;
    const run = this.runs;
    this.stopHeartbeat();
    this.lastExit = exit;
    this.calls.failAll(this.spec.name, 'exited');
    if (this.stopping) return;
    this.status = 'stopped';
    await killGroups(proc.pid > 0 ? [proc.pid] : [], this.marker);
    this.hooks.onExit(this, exit, run);
  }

  private send(message: ToChild): void {
    this.proc?.send(message);
  }

  private startHeartbeat(tick: () => void): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(tick, this.options.init.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
