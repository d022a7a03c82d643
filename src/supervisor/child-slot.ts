import type { Readable, Writable } from 'node:stream';
import type { ChildStatus, ExitInfo, ExitReason } from '../contract/session.js';
import type { ChildSpec } from '../contract/spec.js';
import type { ToChild } from '../ipc/child-messages.js';
import type { ChildState } from '../ipc/supervisor-messages.js';
import type { RunMarker } from '../process/marker.js';
import type { Spawned } from '../process/spawn-child.js';
import { leafFrozen } from '../cgroup/children-leaf.js';
import { ChildLog } from '../logs/child-log.js';
import { ChildCalls } from './child-calls.js';
import { handshake } from './child-handshake.js';
import { nodeFlags } from './node-flags.js';
import type { PlanChild } from './plan-restart.js';
import { killRun, spawnRun, stopRun } from './run-process.js';
import type { SlotHooks, SlotOptions } from './slot-options.js';

/**
 * One supervised child, as OTP's child record: its spec and state stay, its process (one run)
 * comes and goes. Every field changes here only, through the methods below.
 */
export class ChildSlot {
  #status: ChildStatus = 'stopped';
  #restarts = 0;
  #lastExit: ExitInfo | null = null;
  #nextRestartAt: string | null = null;
  /** Consecutive crashes, for the restart backoff. */
  #crashes = 0;
  #held: boolean;
  /** It exited on its own and was not restarted (auto_shutdown counts it). */
  #ended = false;
  /** A run of it said it has an onMessage handler: kept across runs, as its next run is the same program. */
  #serving = false;
  private proc: Spawned | null = null;
  private runs = 0;
  private stopping = false;
  private killedFor: ExitReason | null = null;
  private readyAt: number | null = null;
  private heartbeat: { stop(): void } | null = null;
  /** The spare's Placeholder adopted as run 1, until its start has an outcome. */
  private spareRun: Spawned | null = null;
  private readonly calls = new ChildCalls();
  readonly log: ChildLog;
  private readonly nodeArgs: readonly string[];

  constructor(readonly spec: ChildSpec, private readonly options: SlotOptions, private readonly hooks: SlotHooks) {
    this.log = new ChildLog(options.logPath, options.logRotation);
    this.#held = options.held ?? false;
    this.nodeArgs = spec.file === undefined ? [] : nodeFlags(spec.file, spec.cwd, options.nodeResolve);
  }

  get status(): ChildStatus { return this.#status; }
  get lastExit(): ExitInfo | null { return this.#lastExit; }
  get held(): boolean { return this.#held; }
  /** The number of the current run: an exit of an earlier one is stale. */
  get run(): number { return this.runs; }

  /** The pid of the current run while it runs; never -1 (a spawn that failed has none). */
  get pid(): number | null {
    return this.proc && this.proc.pid > 0 && !this.proc.hasExited() ? this.proc.pid : null;
  }

  /** The current run's pipes, for an attacher (src/exec/child-attach.ts); null while it does not run. */
  stdio(): { pid: number; stdin: Writable | null; stdout: Readable | null } | null {
    const { pid, proc } = this;
    return pid === null || !proc ? null : { pid, stdin: proc.subprocess.stdin, stdout: proc.subprocess.stdout };
  }

  state(): ChildState {
    return { name: this.spec.name, pid: this.pid, status: this.#status, restarts: this.#restarts, lastExit: this.#lastExit, nextRestartAt: this.#nextRestartAt };
  }

  /** What a restart decision reads of this child. */
  facts(): PlanChild {
    const ranMs = this.readyAt === null ? 0 : performance.now() - this.readyAt;
    return { spec: this.spec, held: this.#held, ended: this.#ended, running: this.pid !== null, crashes: this.#crashes, ranMs };
  }

  /** Whether it answers sends (a run of it registered an onMessage handler), running now or not. */
  get servesMessages(): boolean {
    return this.#serving;
  }

  /** Stopped on request: never restarted until `release`d. */
  hold(): void { this.#held = true; }
  release(): void { this.#held = false; }
  endedOnItsOwn(): void { this.#ended = true; }
  crashed(consecutive: number): void { this.#crashes = consecutive; }

  /** Waits out a restart delay (the supervisor holds the timer). */
  waitRestart(at: string): void {
    this.#status = 'restarting';
    this.#nextRestartAt = at;
  }

  /** A stop during a restart delay cancels the restart: a waiting child is stopped. */
  cancelRestart(): void {
    this.#nextRestartAt = null;
    if (this.pid === null && this.#status === 'restarting') this.#status = 'stopped';
  }

  /** Delivers a `send` to a Node child's onMessage handler; fails with `timeout` after timeoutMs. */
  call(body: unknown, timeoutMs: number): Promise<unknown> {
    return this.calls.call((id) => this.send({ type: 'sessiond:call', id, body }), timeoutMs, this.spec.name);
  }

  /** A restart of a stopped run: counted in its restarts. */
  restart(): Promise<string | null> {
    this.#restarts += 1;
    this.#status = 'restarting';
    return this.start();
  }

  /**
   * Starts one run. Resolves null once the child is ready (a Node child sent `ready`, a command
   * was spawned), else why it is not. `deadline` (epoch ms) defaults to the start timeout from now.
   */
  start(deadline = Date.now() + this.options.startTimeoutMs, prespawned?: Spawned): Promise<string | null> {
    if (!prespawned) return this.startRun(deadline);
    // A spare's Placeholder that dies before its ready died as a spare, not as this session's child
    // (its death may cross the init on its way): a fresh run takes run 1's place, under the same deadline.
    this.spareRun = prespawned;
    return this.startRun(deadline, prespawned).then((failure) => {
      this.spareRun = null;
      if (failure === null || !prespawned.hasExited() || this.proc !== prespawned || this.stopping) return failure;
      this.runs -= 1;
      return this.startRun(deadline);
    });
  }

  private startRun(deadline: number, prespawned?: Spawned): Promise<string | null> {
    const { spec } = this;
    this.stopping = false;
    this.killedFor = null;
    this.readyAt = null;
    this.#status = 'starting';
    this.#nextRestartAt = null;
    this.#ended = false;
    this.log.resetTail();
    this.runs += 1;
    // A spare's Placeholder was spawned ahead, with this run's marker: it only needs its init.
    const proc = prespawned ?? spawnRun(spec, this.marker, this.nodeArgs, this.options.leaf);
    this.proc = proc;
    this.log.attach(proc.subprocess.stdout, 'out');
    this.log.attach(proc.subprocess.stderr, 'err');
    void proc.exited.then((exit) => this.exited(proc, exit));
    if (proc.pid > 0) this.hooks.onSpawned(this);
    if (spec.file !== undefined) return this.handshake(proc, deadline);
    if (proc.pid > 0) this.isReady();
    return Promise.resolve(proc.pid > 0 ? null : `could not spawn ${spec.command}`);
  }

  /**
   * Stops the current run: SIGTERM, SIGKILL of the tree after `graceMs` (default: its shutdownMs).
   * True when there was a run to stop (its exit is then in lastExit).
   */
  async stop(graceMs = this.spec.shutdownMs): Promise<boolean> {
    this.stopping = true;
    this.heartbeat?.stop();
    this.cancelRestart();
    if (this.pid === null) {
      this.#status = 'stopped';
      return false;
    }
    this.#status = 'stopping';
    this.send({ type: 'sessiond:shutdown' });
    await stopRun(this.proc!, graceMs, this.marker, this.options.leaf);
    this.#status = 'stopped';
    return true;
  }

  /** SIGKILLs the current run's tree at once; its exit is handled as a crash, with `reason` if given. */
  async kill(reason?: ExitReason): Promise<void> {
    if (!this.proc) return;
    if (reason && this.pid !== null) this.killedFor = reason;
    await killRun(this.proc, this.marker, this.options.leaf);
  }

  /** The current run's marker: killing a run never reaches the next one of this child. */
  private get marker(): RunMarker {
    return { session: this.options.init.session, child: this.spec.name, run: this.runs };
  }

  private isReady(): void {
    if (this.#status === 'starting') this.#status = 'running';
    this.readyAt = performance.now();
  }

  private handshake(proc: Spawned, deadline: number): Promise<string | null> {
    const { options } = this;
    const init = { ...options.init, name: this.spec.name, cwd: this.spec.cwd };
    const paused = () => leafFrozen(options.leaf);
    const run = handshake(proc, { init, deadline, startTimeoutMs: options.startTimeoutMs, missedHeartbeats: options.missedHeartbeats, paused }, {
      current: () => this.proc === proc,
      ready: () => this.isReady(),
      hung: () => this.hooks.onHung(this),
      activity: () => this.hooks.onActivity(this),
      reply: (id, reply) => this.calls.settle(id, reply),
      publish: (topic, data) => this.hooks.onPublish(this, topic, data),
      serves: () => void (this.#serving = true),
    }, () => void killRun(proc, this.marker, this.options.leaf));
    this.heartbeat = run;
    return run.ready;
  }

  // Whatever is left of the run's tree is SIGKILLed at once, before anything else happens.
  private async exited(proc: Spawned, exit: ExitInfo): Promise<void> {
    if (this.proc !== proc) return;
    if (proc === this.spareRun && !this.stopping) return; // no run of ours: start() replaces it
    const run = this.runs;
    this.heartbeat?.stop();
    this.#lastExit = this.killedFor ? { ...exit, reason: this.killedFor } : exit;
    this.calls.failAll(this.spec.name, 'exited');
    if (this.stopping) return;
    this.#status = 'stopped';
    await killRun(proc, this.marker, this.options.leaf);
    this.hooks.onExit(this, this.#lastExit, run);
  }

  private send(message: ToChild): void {
    this.proc?.send(message);
  }
}
