import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SessiondError } from '../contract/errors.js';
import type { EventType } from '../contract/events.js';
import { canTransition, describeExit, type ExitInfo, type SessionInfo, type SessionStats, type SessionStatus } from '../contract/session.js';
import { DEFAULTS, describeIssues, type SessionSpec } from '../contract/spec.js';
import { fromSupervisor, type ChildState, type FromSupervisor, type ToSupervisor } from '../ipc/supervisor-messages.js';
import type { Spawned } from '../process/spawn.js';
import { killGroups } from '../process/kill.js';
import type { Marker } from '../process/marker.js';
import { killProcess, stopProcess } from '../process/stop.js';
import type { SessionRecord } from '../store/sessions.js';
import { ProcessPins, SUPERVISOR, toSessionInfo, toSessionRecord, type SessionState } from './session-view.js';

export interface RuntimeOptions {
  readonly heartbeatMs: number;
  readonly startTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly logDir: string;
  readonly emit: (type: EventType, fields?: Record<string, unknown>) => void;
  readonly warn: (message: string) => void;
  /** Gives a supervisor process that waits for its init. */
  readonly spawnSupervisor: () => Spawned;
  /** A resurrected session keeps the creation time of its first life. */
  readonly createdAt?: string;
}

/**
 * One session as the manager holds it: its supervisor process, the children's state as the
 * supervisor reports it, and the status machine. Everything here runs in the manager's process.
 */
export class SessionRuntime {
  status: SessionStatus = 'initializing';
  error: string | null = null;
  restarts = 0;
  readonly createdAt: string;
  updatedAt: string;
  private readonly children = new Map<string, ChildState>();
  private proc: Spawned | null = null;
  private lastActivity = Date.now();
  private missedPongs = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Why the supervisor went away, when it told us (gave up) or we decided (hung). */
  private endReason: string | null = null;
  private started: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private stopping: Promise<void> | null = null;
  private readonly pins = new ProcessPins();

  constructor(
    readonly spec: SessionSpec,
    private readonly options: RuntimeOptions,
  ) {
    this.createdAt = options.createdAt ?? new Date().toISOString();
    this.updatedAt = new Date().toISOString();
    for (const child of spec.children) {
      this.children.set(child.name, { name: child.name, pid: null, status: 'starting', restarts: 0, lastExit: null });
    }
  }

  /** Spawns the supervisor and resolves once every child is ready; rejects with start_failed. */
  start(): Promise<void> {
    // Terminated while it waited its turn to start: nothing was started, nothing to start now.
    if (this.status !== 'initializing') return Promise.reject(this.startError('terminated while starting'));
    const logDir = join(this.options.logDir, this.spec.id);
    mkdirSync(logDir, { recursive: true, mode: 0o700 });
    const proc = this.options.spawnSupervisor();
    this.proc = proc;
    this.pins.pin(SUPERVISOR, proc.pid);
    proc.subprocess.on('message', (raw: unknown) => this.receive(raw));
    void proc.exited.then((exit) => this.supervisorExited(exit));
    const { heartbeatMs, startTimeoutMs } = this.options;
    this.send({ type: 'init', init: { session: this.spec, heartbeatMs, startTimeoutMs, logDir } });
    return new Promise<void>((resolve, reject) => {
      this.started = { resolve, reject };
      // The supervisor times its children itself, so its error can name the child; this timer,
      // a little later, catches a supervisor that never answers.
      setTimeout(() => this.failStart(`supervisor not ready within ${startTimeoutMs} ms`), startTimeoutMs + 1000).unref();
    });
  }

  /** Stops the supervisor (SIGTERM, SIGKILL of every tree after the grace) and awaits every pid. */
  terminate(): Promise<void> {
    if (this.status === 'terminated') return Promise.resolve();
    this.stopping ??= (async () => {
      this.transition('terminating');
      this.options.emit('session.terminating');
      this.takeStart()?.reject(this.startError('terminated while starting'));
      const graceMs = Math.max(DEFAULTS.shutdownMs, ...this.spec.children.map((c) => c.shutdownMs));
      if (this.proc) {
        const { forced } = await stopProcess(this.proc, graceMs, this.childGroups());
        // A supervisor that stopped cleanly swept each child's marker itself; otherwise we do.
        const clean = !forced && (await this.proc.exited).code === 0;
        if (!clean) await killGroups([], this.marker);
      }
      this.end(null);
    })();
    return this.stopping;
  }

  /** Fault injection: sends a signal to the supervisor or to one child; returns the pid hit. */
  kill(target: { child?: string }, signal: NodeJS.Signals): number {
    if (target.child !== undefined && !this.children.has(target.child)) {
      throw new SessiondError('not_found', `session ${this.spec.id} has no child named ${target.child}`);
    }
    const pid = target.child === undefined ? this.supervisorPid() : this.childPid(target.child);
    if (pid === null) throw new SessiondError('not_found', `no process to signal: ${target.child ?? 'the supervisor'} of session ${this.spec.id} is not running`);
    process.kill(pid, signal);
    return pid;
  }

  supervisorPid(): number | null {
    return this.proc && !this.proc.hasExited() ? this.proc.pid : null;
  }

  childPid(name: string): number | null {
    return this.children.get(name)?.pid ?? null;
  }

  /** Every live pid of the session: the supervisor and its children (each the leader of its group). */
  pids(): number[] {
    const supervisor = this.supervisorPid();
    return [...(supervisor === null ? [] : [supervisor]), ...this.childGroups()];
  }

  state(): SessionState {
    const { spec, status, error, restarts, createdAt, updatedAt } = this;
    const children = spec.children.map((c) => this.children.get(c.name)!);
    return { spec, status, error, restarts, createdAt, updatedAt, supervisorPid: this.supervisorPid(), children };
  }

  info(stats: SessionStats): SessionInfo {
    return toSessionInfo(this.state(), stats);
  }

  record(): SessionRecord {
    return toSessionRecord(this.state(), this.pins);
  }

  private receive(raw: unknown): void {
    const parsed = fromSupervisor.safeParse(raw);
    if (!parsed.success) return this.options.warn(`session ${this.spec.id}: ignored a malformed supervisor message: ${describeIssues(parsed.error)}`);
    const message: FromSupervisor = parsed.data;
    switch (message.type) {
      case 'ready':
        for (const child of message.children) this.children.set(child.name, child);
        this.lastActivity = Date.now();
        this.transition('active');
        this.options.emit('session.active');
        // Heartbeats start once the supervisor is up; until then the start timeout watches it.
        this.timer = setInterval(() => this.tick(), this.options.heartbeatMs);
        this.started?.resolve();
        this.started = null;
        return;
      case 'start_failed':
        return this.failStart(message.error);
      case 'pong':
        this.missedPongs = 0;
        return;
      case 'child': {
        const { child, event, restarts, ...exit } = message;
        this.children.set(child.name, child);
        this.pins.pin(child.name, child.pid);
        this.restarts = restarts;
        this.touch();
        if (event !== 'spawned') this.options.emit(`child.${event}`, { child: child.name, pid: child.pid, restarts: child.restarts, ...exit });
        return;
      }
      case 'activity':
        this.lastActivity = Date.now();
        if (this.status === 'idle') {
          this.transition('active');
          this.options.emit('session.active');
        }
        return;
      case 'gave_up':
        this.endReason = message.reason;
        this.options.emit('supervisor.gave_up', { reason: message.reason });
        return;
    }
  }

  // Heartbeat of the supervisor, and the idle clock.
  private tick(): void {
    if (this.stopping || !this.proc) return;
    if (++this.missedPongs > DEFAULTS.missedHeartbeats) {
      this.endReason ??= `supervisor hung: no pong for ${DEFAULTS.missedHeartbeats} heartbeats`;
      void killProcess(this.proc, this.childGroups(), this.marker);
      return;
    }
    this.send({ type: 'ping', seq: Date.now() });
    if (this.status === 'active' && Date.now() - this.lastActivity > this.options.idleTimeoutMs) {
      this.transition('idle');
      this.options.emit('session.idle');
    }
  }

  // The supervisor exited unasked: a crash, a hang we killed, or restart intensity exceeded.
  private supervisorExited(exit: ExitInfo): void {
    if (this.stopping) return;
    const starting = this.takeStart();
    this.stopping = (async () => {
      const reason = this.endReason ?? `supervisor crashed: ${describeExit(exit)}`;
      await killProcess(this.proc!, this.childGroups(), this.marker);
      if (!starting && !this.endReason?.startsWith('restart intensity')) {
        this.options.emit('session.crashed', { reason, code: exit.code, signal: exit.signal });
      }
      this.end(reason);
      starting?.reject(this.startError(reason));
    })();
  }

  // The start failed or timed out: the supervisor stops what it started, as in a terminate.
  private failStart(reason: string): void {
    const starting = this.takeStart();
    if (!starting || this.stopping) return;
    this.stopping = (async () => {
      if (this.proc) await stopProcess(this.proc, DEFAULTS.shutdownMs, this.childGroups(), this.marker);
      this.end(reason);
      starting.reject(this.startError(reason));
    })();
  }

  /** The pending start, if any, taken so that it is settled once. */
  private takeStart() {
    const started = this.started;
    this.started = null;
    return started;
  }

  private startError(reason: string): SessiondError {
    return new SessiondError('start_failed', `session ${this.spec.id} failed to start: ${reason}`);
  }

  private end(error: string | null): void {
    if (this.timer) clearInterval(this.timer);
    for (const [name, child] of this.children) {
      // The supervisor went without reporting them: they were SIGKILLed with it.
      if (child.pid !== null) this.options.emit('child.exited', { child: name, pid: child.pid, restarts: child.restarts, code: null, signal: 'SIGKILL' });
      this.children.set(name, { ...child, pid: null, status: 'stopped' });
    }
    this.error = error;
    this.transition('terminated');
    this.options.emit('session.terminated', { error });
  }

  /** Every process of the session's children carries this in its environment. */
  private get marker(): Marker {
    return { session: this.spec.id };
  }

  private childGroups(): number[] {
    return [...this.children.values()].flatMap((c) => (c.pid === null ? [] : [c.pid]));
  }

  private transition(to: SessionStatus): void {
    if (this.status === to) return;
    if (!canTransition(this.status, to)) throw new SessiondError('internal', `session ${this.spec.id}: invalid transition ${this.status} → ${to}`);
    this.status = to;
    this.touch();
  }

  private touch(): void {
    this.updatedAt = new Date().toISOString();
  }

  private send(message: ToSupervisor): void {
    const subprocess = this.proc?.subprocess;
    if (subprocess?.connected) subprocess.sendMessage?.(message).catch(() => undefined);
  }
}
