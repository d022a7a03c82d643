import type { Socket } from 'node:net';
import { SessiondError } from '../contract/errors.js';
import type { SessionInfo, SessionStats, SessionStatus } from '../contract/session.js';
import type { ChildSpec, SessionSpec } from '../contract/spec.js';
import type { SessionRecord } from '../store/sessions.js';
import * as requests from './child-requests.js';
import { SessionBounds, NO_BOUNDS } from './session-bounds.js';
import { SessionChildren } from './session-children.js';
import { SessionClock } from './session-clock.js';
import { SessionEffects } from './session-effects.js';
import { receive, type Inbox } from './session-inbox.js';
import { initialState, step, type Call, type RuntimeInput, type RuntimeState } from './session-step.js';
import type { HandOverMessage } from '../exec/exec-params.js';
import { toSessionInfo, toSessionRecord, type SessionState } from './session-view.js';
import { SupervisorLink } from './supervisor-link.js';
import type { RuntimeOptions } from './runtime-options.js';

export type { RuntimeOptions };

/**
 * One session as the manager holds it: its supervisor process, the children's state as the
 * supervisor reports it, and its state (session-step.ts). Every input, whatever its source, goes
 * through one door: a pure step, then its effects (session-effects.ts); every end, whatever its
 * cause, through one stop path.
 */
export class SessionRuntime {
  readonly createdAt: string;
  private current: RuntimeState;
  private readonly children: SessionChildren;
  private readonly clock: SessionClock;
  private readonly link: SupervisorLink;
  private readonly bounds: SessionBounds;
  private readonly effects: SessionEffects;

  constructor(spec: SessionSpec, private readonly options: RuntimeOptions) {
    this.createdAt = options.createdAt ?? new Date().toISOString();
    this.current = initialState(spec, new Date().toISOString());
    this.children = new SessionChildren(spec.children);
    this.clock = new SessionClock(options);
    const guard = (what: string, handle: () => void) => this.effects.guard(what, handle);
    const inbox: Inbox = { input: (input) => void this.input(input), clock: this.clock, emit: (type, fields) => this.effects.emit(type, fields), publish: options.publish, session: spec.id };
    this.link = new SupervisorLink(spec.id, { message: (m) => receive(m, inbox), exited: (exit) => void this.input({ kind: 'supervisor_exited', exit }), warn: options.warn, guard });
    this.bounds = new SessionBounds(spec, options.bounds ?? NO_BOUNDS, { supervisor: () => this.supervisorPid(), leaders: () => this.pids(), warn: options.warn });
    const { createdAt, children, clock, link, bounds } = this;
    this.effects = new SessionEffects({ id: spec.id, createdAt, options, link, clock, bounds, children, state: () => this.current, input: (input) => this.input(input) });
  }

  get status(): SessionStatus {
    return this.current.machine.status;
  }

  /** The session's spec as it is now: children added, stopped on request (`held`) or removed since its create. */
  get spec(): SessionSpec {
    return this.current.mirror.spec;
  }

  /** Starts one more child after the others; resolves with its state once it is ready. */
  async addChild(child: ChildSpec): Promise<void> {
    await this.request(() => requests.addChild(this.spec, child, this.options.startTimeoutMs));
  }

  /** Stops a child as a terminate would; it keeps its spec and is not restarted until asked. */
  async stopChild(name: string): Promise<void> {
    await this.request(() => requests.stopChild(this.spec, name));
  }

  /** Starts a stopped child, or stops and starts a running one; no crash, no intensity. */
  async restartChild(name: string): Promise<void> {
    await this.request(() => requests.restartChild(this.spec, name, this.options.startTimeoutMs));
  }

  /** Forgets a stopped child (a running one is refused: `running`). */
  async removeChild(name: string): Promise<void> {
    await this.request(() => requests.removeChild(this.spec, name));
  }

  /** Restarts every child in start order, as a one_for_all restart would, counting toward no intensity. */
  async restartAll(): Promise<void> {
    await this.request(() => requests.restartAll(this.spec, this.options.startTimeoutMs));
  }

  /** Delivers `body` to a Node child's onMessage handler (none named: the first that has one) and resolves with its reply. */
  send(name: string | undefined, body: unknown, timeoutMs: number): Promise<unknown> {
    return this.request(() => requests.sendTo(this.spec, name, body, timeoutMs));
  }

  /** An exec or attach: the client's connection goes to the supervisor (while paused, it waits frozen with it). */
  async handOver(message: HandOverMessage, socket: Socket): Promise<void> {
    await this.call({ kind: 'hand_over', message, socket });
  }

  /** Spawns the supervisor and resolves once every child is ready; rejects with start_failed. */
  async start(): Promise<void> {
    await this.call({ kind: 'start' });
  }

  /** Stops every process of the session and resolves once all are gone; a no-op once terminated. */
  terminate(): Promise<void> {
    void this.input({ kind: 'terminate' });
    return this.effects.whenStopped();
  }

  /** Stops every process of the session (cgroup freezer, else SIGSTOP) and resolves once they are; a paused session stays so. */
  async pause(): Promise<void> {
    await this.call({ kind: 'pause' });
  }

  /** Continues a paused session's processes; its heartbeats and idle clock go on where they stood. */
  async resume(): Promise<void> {
    await this.call({ kind: 'resume' });
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
    return this.link.pid();
  }

  childPid(name: string): number | null {
    return this.children.pid(name);
  }

  /** Every live pid of the session: the supervisor and its children (each the leader of its group). */
  pids(): number[] {
    const supervisor = this.supervisorPid();
    return [...(supervisor === null ? [] : [supervisor]), ...this.children.groups()];
  }

  /** cpu % and memory as the kernel counts them in the session's cgroup; null without one (then /proc is read). */
  cgroupStats(): SessionStats | null {
    return this.bounds.stats();
  }

  info(stats: SessionStats): SessionInfo {
    return toSessionInfo(this.view(), stats);
  }

  record(): SessionRecord {
    return toSessionRecord(this.view(), this.children.pins);
  }

  private view(): SessionState {
    const { mirror, machine, error, updatedAt } = this.current;
    const { spec, restarts } = mirror;
    const children = this.children.inOrder(spec.children);
    return { spec, status: machine.status, error, restarts, createdAt: this.createdAt, updatedAt, supervisorPid: this.supervisorPid(), children, enforcement: this.bounds.enforcement };
  }

  // A child request: checked against the spec (a throw rejects), then asked of the step.
  private async request(build: () => requests.ChildRequest): Promise<unknown> {
    return this.call({ kind: 'request', request: build() });
  }

  private call(call: Call): Promise<unknown> {
    return this.input({ kind: 'call', call });
  }

  /** The one door: a step, then its effects; resolves or rejects as the call it answers, if any. */
  private input(input: RuntimeInput): Promise<unknown> {
    const next = step(this.current, input, new Date().toISOString());
    this.current = next.state;
    return this.effects.apply(next.effects);
  }
}
