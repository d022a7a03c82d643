import { mkdirSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { execEventFields, handOver } from '../exec/hand-over.js';
import { errorMessage, noChild, SessiondError } from '../contract/errors.js';
import type { EventType } from '../contract/events.js';
import { sessionLogDir } from '../contract/paths.js';
import type { ExitInfo, SessionInfo, SessionStats, SessionStatus } from '../contract/session.js';
import { DEFAULTS, describeIssues, type ChildSpec, type SessionSpec } from '../contract/spec.js';
import { fromSupervisor, type FromSupervisor, type SupervisorRequest, type ToSupervisor } from '../ipc/supervisor-messages.js';
import type { PublishedMessage } from './message-log.js';
import { SupervisorRequests } from './supervisor-requests.js';
import { childOf, mirrorChildEvent, withChild } from './live-spec.js';
import type { SupervisorSettings } from './supervisor-settings.js';
import type { Spawned } from '../process/spawn.js';
import type { SessionRecord } from '../store/sessions.js';
import { SessionBounds, NO_BOUNDS, type BoundsOptions } from './session-bounds.js';
import { SessionChildren } from './session-children.js';
import { outcome, step, type MachineState, type SessionInput, type StopCause } from './session-machine.js';
import { toSessionInfo, toSessionRecord, type SessionState } from './session-view.js';
import { stopSession, supervisorGraceMs } from './stop-session.js';

export interface RuntimeOptions {
  readonly heartbeatMs: number;
  readonly startTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Parent of every session's folder of logs (see contract/paths.ts). */
  readonly sessionsDir: string;
  /** What every supervisor's init carries besides its session: log rotation, the child preloads. */
  readonly supervisor?: SupervisorSettings;
  /** A new session (not a resurrection): the logs of a terminated session of the same id go. */
  readonly fresh: boolean;
  readonly emit: (type: EventType, fields?: Record<string, unknown>) => void;
  /** What a child published (kept in memory by the manager, never logged). */
  readonly publish: (message: PublishedMessage) => void;
  readonly warn: (message: string) => void;
  readonly debug: (message: string) => void;
  /** Gives a supervisor process that waits for its init, and what it has spawned already (a spare's Placeholder). */
  readonly spawnSupervisor: () => { readonly proc: Spawned; readonly spawned: readonly number[] };
  /** A resurrected session keeps the creation time of its first life. */
  readonly createdAt?: string;
  /** The host's cgroups and how sessions use them (default: none; memoryMax is then watched). */
  readonly bounds?: BoundsOptions;
}

/**
 * One session as the manager holds it: its supervisor process, the children's state as the
 * supervisor reports it, and the status machine (session-machine.ts). Every input, whatever its
 * source, goes through `input()`; every end, whatever its cause, through one stop path.
 */
export class SessionRuntime {
  error: string | null = null;
  restarts = 0;
  readonly createdAt: string;
  updatedAt: string;
  private machine: MachineState = { status: 'initializing', stopping: null };
  private readonly children: SessionChildren;
  private proc: Spawned | null = null;
  private lastActivity = Date.now();
  private missedPongs = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private startTimer: NodeJS.Timeout | null = null;
  /** The supervisor's last word when it gives up (restart intensity exceeded). */
  private gaveUp: string | null = null;
  private started: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private wasActive = false;
  private stopped: Promise<void> | null = null;
  private current: SessionSpec;
  /** Children asked for (child add) and not yet reported added: their specs, by name. */
  private readonly adding = new Map<string, ChildSpec>();
  private readonly requests = new SupervisorRequests((message) => this.post(message));
  private readonly bounds: SessionBounds;

  constructor(
    spec: SessionSpec,
    private readonly options: RuntimeOptions,
  ) {
    this.current = spec;
    this.createdAt = options.createdAt ?? new Date().toISOString();
    this.updatedAt = new Date().toISOString();
    this.children = new SessionChildren(spec.children);
    this.bounds = new SessionBounds(spec, options.bounds ?? NO_BOUNDS, { supervisor: () => this.supervisorPid(), leaders: () => this.pids(), warn: options.warn });
  }

  get status(): SessionStatus {
    return this.machine.status;
  }

  /** The session's spec as it is now: children added, stopped on request (`held`) or removed since its create. */
  get spec(): SessionSpec {
    return this.current;
  }

  /** Starts one more child after the others; resolves with its state once it is ready. */
  async addChild(child: ChildSpec): Promise<void> {
    withChild(this.current, child); // refuses a name in use
    // The spec gets the child when the supervisor reports it added: even after this request timed out.
    this.adding.set(child.name, child);
    await this.request({ op: 'add_child', spec: child }, this.options.startTimeoutMs + 1000);
  }

  /** Stops a child as a terminate would; it keeps its spec and is not restarted until asked. */
  async stopChild(name: string): Promise<void> {
    childOf(this.current, name);
    await this.request({ op: 'stop_child', name }, supervisorGraceMs(this.current));
  }

  /** Starts a stopped child, or stops and starts a running one; no crash, no intensity. */
  async restartChild(name: string): Promise<void> {
    childOf(this.current, name);
    await this.request({ op: 'restart_child', name }, supervisorGraceMs(this.current) + this.options.startTimeoutMs);
  }

  /** Forgets a stopped child (a running one is refused: `running`). */
  async removeChild(name: string): Promise<void> {
    childOf(this.current, name);
    await this.request({ op: 'remove_child', name }, 5000);
  }

  /** Restarts every child in start order, as a one_for_all restart would, counting toward no intensity. */
  async restartAll(): Promise<void> {
    await this.request({ op: 'restart_all' }, supervisorGraceMs(this.current) + this.options.startTimeoutMs);
  }

  /** Delivers `body` to a Node child's onMessage handler and resolves with its reply. */
  /** An exec or attach: the client's connection goes to the supervisor (while paused, it waits frozen with it). */
  handOver(message: Extract<ToSupervisor, { type: 'exec' | 'attach' }>, socket: Socket): Promise<void> {
    if (!['active', 'idle', 'paused'].includes(this.status)) return Promise.reject(new SessiondError('not_running', `session ${this.spec.id} is ${this.status}: nothing can run in it`));
    return handOver(this.proc?.subprocess, message, socket);
  }

  // Without a name, the supervisor picks the first child that has an onMessage handler.
  send(name: string | undefined, body: unknown, timeoutMs: number): Promise<unknown> {
    if (name !== undefined) childOf(this.current, name);
    else if (this.current.children.length === 0) return Promise.reject(noChild(this.spec.id, 'send'));
    const who = name === undefined ? 'the child that answers sends' : `child ${name}`;
    return this.request({ op: 'call', ...(name === undefined ? {} : { child: name }), body, timeoutMs }, timeoutMs, () => `${who} of session ${this.spec.id} did not reply within ${timeoutMs} ms`);
  }

  private request(request: SupervisorRequest, timeoutMs: number, onTimeout?: () => string): Promise<unknown> {
    if (this.machine.stopping || !['active', 'idle'].includes(this.status)) {
      return Promise.reject(new SessiondError('not_running', `session ${this.spec.id} is ${this.status}: its children cannot be changed or sent to`));
    }
    return this.requests.request(request, timeoutMs, onTimeout ?? (() => `the supervisor of session ${this.spec.id} did not answer ${request.op} within ${timeoutMs} ms`));
  }

  /** Spawns the supervisor and resolves once every child is ready; rejects with start_failed. */
  start(): Promise<void> {
    // Terminated while it waited its turn to start: nothing was started, nothing to start now.
    if (this.status !== 'initializing' || this.machine.stopping) return Promise.reject(this.startError(this.error ?? 'terminated while starting'));
    const started = new Promise<void>((resolve, reject) => (this.started = { resolve, reject }));
    try {
      this.spawn();
      this.bounds.watch(this.createdAt, (ms) => this.guard('the ttl', () => this.input({ kind: 'expired', ms }, () => this.emit('session.expired', { ttlMs: ms }))));
    } catch (error) {
      this.input({ kind: 'start_failed', reason: `could not start: ${errorMessage(error)}` });
    }
    return started;
  }

  /** Stops every process of the session and resolves once all are gone; a no-op once terminated. */
  terminate(): Promise<void> {
    this.input({ kind: 'terminate' });
    return this.stopped ?? Promise.resolve();
  }

  /** Stops every process of the session (cgroup freezer, else SIGSTOP) and resolves once they are; a paused session stays so. */
  async pause(): Promise<void> {
    if (this.status === 'paused') return;
    if (this.machine.stopping || (this.status !== 'active' && this.status !== 'idle')) {
      throw new SessiondError('not_supported', `session ${this.spec.id} is ${this.status}: only an active or idle session can be paused`);
    }
    await this.bounds.pause.pause();
    this.input({ kind: 'pause' });
  }

  /** Continues a paused session's processes; its heartbeats and idle clock go on where they stood. */
  async resume(): Promise<void> {
    if (this.status === 'terminated') throw new SessiondError('not_supported', `session ${this.spec.id} is terminated: there is nothing to resume`);
    if (this.status !== 'paused' || this.machine.stopping) return;
    this.lastActivity += await this.bounds.pause.resume();
    this.missedPongs = 0;
    this.input({ kind: 'resume' });
  }

  /** Fault injection: sends a signal to the supervisor or to one child; returns the pid hit. */
  kill(target: { child?: string }, signal: NodeJS.Signals): number {
    const pid = target.child === undefined ? this.supervisorPid() : this.children.target(this.spec.id, target.child);
    const what = target.child ?? 'the supervisor';
    if (pid === null) throw new SessiondError('not_found', `no process to signal: ${what} of session ${this.spec.id} is not running`);
    try {
      process.kill(pid, signal);
    } catch (error) {
      throw new SessiondError('not_found', `no process to signal: ${what} of session ${this.spec.id} has just exited`, { cause: error });
    }
    return pid;
  }

  supervisorPid(): number | null {
    return this.proc && !this.proc.hasExited() ? this.proc.pid : null;
  }

  childPid(name: string): number | null {
    return this.children.pid(name);
  }

  /** Every live pid of the session: the supervisor and its children (each the leader of its group). */
  pids(): number[] {
    const supervisor = this.supervisorPid();
    return [...(supervisor === null ? [] : [supervisor]), ...this.children.groups()];
  }

  state(): SessionState {
    const { spec, status, error, restarts, createdAt, updatedAt } = this;
    const children = this.children.inOrder(spec.children);
    return { spec, status, error, restarts, createdAt, updatedAt, supervisorPid: this.supervisorPid(), children, enforcement: this.bounds.enforcement };
  }

  /** cpu % and memory as the kernel counts them in the session's cgroup; null without one (then /proc is read). */
  cgroupStats(): SessionStats | null {
    return this.bounds.stats();
  }

  info(stats: SessionStats): SessionInfo {
    return toSessionInfo(this.state(), stats);
  }

  record(): SessionRecord {
    return toSessionRecord(this.state(), this.children.pins);
  }

  private spawn(): void {
    const logDir = sessionLogDir(this.options.sessionsDir, this.spec.id);
    if (this.options.fresh) rmSync(logDir, { recursive: true, force: true });
    mkdirSync(logDir, { recursive: true, mode: 0o700 });
    this.bounds.prepare();
    const { proc, spawned } = this.options.spawnSupervisor();
    this.proc = proc;
    // Into the session's cgroup before init: the supervisor forks nothing before it, so every
    // child is born inside (a spare's Placeholder, spawned already, goes in with it).
    this.bounds.enter(proc.pid, ...spawned);
    this.children.pinSupervisor(proc.pid);
    proc.subprocess.on('message', (raw: unknown) => this.guard('a supervisor message', () => this.receive(raw)));
    void proc.exited.then((exit) => this.guard('the supervisor exit', () => this.input({ kind: 'supervisor_exited', exit })));
    const { heartbeatMs, startTimeoutMs } = this.options;
    this.post({ type: 'init', init: { session: this.spec, heartbeatMs, startTimeoutMs, logDir, ...this.options.supervisor, ...this.bounds.childrenLeaf() } });
    // The supervisor times its children itself, so its error can name the child; this timer,
    // a little later, catches a supervisor that never answers.
    const reason = `supervisor not ready within ${startTimeoutMs} ms`;
    this.startTimer = setTimeout(() => this.guard('the start timeout', () => this.input({ kind: 'start_failed', reason })), startTimeoutMs + 1000);
  }

  /** The one door of the status machine: a step, then its effects. */
  private input(input: SessionInput, accepted?: () => void): void {
    const next = step(this.machine, input);
    if (next.ignored) return this.options.debug(`session ${this.spec.id}: ${next.ignored}`);
    const changed = next.state.status !== this.machine.status;
    this.machine = next.state;
    if (changed) this.touch();
    accepted?.();
    if (next.emit) this.emit(next.emit);
    if (next.stop) this.beginStop(next.stop);
  }

  private receive(raw: unknown): void {
    const parsed = fromSupervisor.safeParse(raw);
    if (!parsed.success) return this.options.warn(`session ${this.spec.id}: ignored a malformed supervisor message: ${describeIssues(parsed.error)}`);
    const message: FromSupervisor = parsed.data;
    switch (message.type) {
      case 'ready':
        return this.input({ kind: 'ready' }, () => {
          for (const child of message.children) this.children.update(child);
          this.lastActivity = Date.now();
          this.wasActive = true;
          this.clearTimers();
          // Heartbeats start once the supervisor is up; until then the start timeout watches it.
          this.heartbeat = setInterval(() => this.guard('a heartbeat', () => this.tick()), this.options.heartbeatMs);
          this.settleStart(null);
        });
      case 'start_failed':
        return this.input({ kind: 'start_failed', reason: message.error });
      case 'pong':
        this.missedPongs = 0;
        return;
      case 'child':
        return this.childEvent(message);
      case 'activity':
        this.lastActivity = Date.now();
        return this.input({ kind: 'activity' });
      case 'gave_up':
        this.gaveUp = message.reason;
        return this.emit('supervisor.gave_up', { reason: message.reason });
      case 'auto_shutdown':
        return this.input({ kind: 'auto_shutdown', reason: message.reason });
      case 'response':
        return this.requests.settle(message.id, message);
      case 'exec':
        return this.emit(`exec.${message.report.event}`, execEventFields(message.report));
      case 'publish':
        return this.options.publish({ at: message.at, session: this.spec.id, child: message.child, topic: message.topic, data: message.data });
    }
  }

  private childEvent(message: Extract<FromSupervisor, { type: 'child' }>): void {
    if (this.status === 'terminated') return this.options.debug(`session ${this.spec.id}: late child event ignored: it is terminated`);
    const { child, event, restarts, spec: _spec, ...exit } = message;
    const reason = event === 'exited' ? (exit.reason ?? this.bounds.exitReason(this.children.pid(child.name), { signal: exit.signal ?? null })) : null;
    this.children.update(child, reason);
    this.restarts = restarts;
    this.touch();
    // The spec follows what the supervisor did: a child added, held, restarted or removed.
    const added = event === 'added' ? (message.spec ?? this.adding.get(child.name)) : undefined;
    if (event === 'added') this.adding.delete(child.name);
    this.current = mirrorChildEvent(this.current, event, child.name, added);
    if (event === 'removed') this.children.remove(child.name);
    // 'spawned' and 'waiting' only tell the daemon a pid or a restart delay: no event of the contract.
    if (event !== 'spawned' && event !== 'waiting') this.emit(`child.${event}`, { child: child.name, pid: child.pid, restarts: child.restarts, ...exit, ...(reason ? { reason } : {}) });
  }

  // Heartbeat of the supervisor, and the idle clock.
  private tick(): void {
    // A paused session's processes cannot answer, and its idle clock stands still.
    if (this.bounds.pause.suspended) return;
    const idleMs = this.spec.idleTerminateMs ?? null;
    if (idleMs !== null && Date.now() - this.lastActivity >= idleMs) return this.input({ kind: 'idle_timeout', ms: idleMs });
    if (++this.missedPongs > DEFAULTS.missedHeartbeats) {
      return this.input({ kind: 'hung', reason: `supervisor hung: no pong for ${DEFAULTS.missedHeartbeats} heartbeats` });
    }
    this.post({ type: 'ping', seq: Date.now() });
    if (Date.now() - this.lastActivity > this.options.idleTimeoutMs) this.input({ kind: 'quiet' });
  }

  private beginStop(cause: StopCause): void {
    this.clearTimers();
    this.requests.failAll(`session ${this.spec.id} is stopping`);
    const processes = { proc: this.proc, graceMs: supervisorGraceMs(this.spec), groups: () => this.children.groups() };
    this.stopped = stopSession(this.spec.id, cause, processes, this.bounds, this.options.warn).then((exit) => this.finish(cause, exit));
  }

  private finish(cause: StopCause, exit: ExitInfo | null): void {
    const { error, crashed, reason } = outcome(cause, this.wasActive, this.gaveUp);
    if (crashed) this.emit('session.crashed', { reason: error, code: exit?.code ?? null, signal: exit?.signal ?? null });
    // Children the supervisor went without reporting were SIGKILLed with it.
    for (const child of this.children.stopAll()) {
      this.emit('child.exited', { child: child.name, pid: child.pid, restarts: child.restarts, code: null, signal: 'SIGKILL' });
    }
    this.error = error;
    this.input({ kind: 'stopped' });
    this.emit('session.terminated', reason ? { error, reason } : { error });
    this.settleStart(error ?? 'terminated while starting');
  }

  /** Resolves the pending start (null) or rejects it with the reason; once. */
  private settleStart(failure: string | null): void {
    const started = this.started;
    this.started = null;
    if (failure === null) started?.resolve();
    else started?.reject(this.startError(failure));
  }

  private startError(reason: string): SessiondError {
    return new SessiondError('start_failed', `session ${this.spec.id} failed to start: ${reason}`);
  }

  // A throw while handling this session's input ends this session, never the daemon.
  private guard(what: string, handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.options.warn(`session ${this.spec.id}: internal error while handling ${what}: ${errorMessage(error)}`);
      this.input({ kind: 'fault', reason: `${what}: ${errorMessage(error)}` });
    }
  }

  // A listener that throws (the store, say) is this session's fault: it is stopped, the daemon goes on.
  private emit(type: EventType, fields?: Record<string, unknown>): void {
    try {
      this.options.emit(type, fields);
    } catch (error) {
      this.options.warn(`session ${this.spec.id}: handling event ${type} failed: ${errorMessage(error)}`);
      queueMicrotask(() => this.input({ kind: 'fault', reason: `handling event ${type}: ${errorMessage(error)}` }));
    }
  }

  private clearTimers(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.startTimer) clearTimeout(this.startTimer);
    this.heartbeat = this.startTimer = null;
  }

  private touch(): void {
    this.updatedAt = new Date().toISOString();
  }

  private post(message: ToSupervisor): void {
    const subprocess = this.proc?.subprocess;
    if (subprocess?.connected) subprocess.sendMessage?.(message).catch(() => undefined);
  }
}
