import { errorMessage, SessiondError } from '../contract/errors.js';
import type { EventType } from '../contract/events.js';
import { handOver } from '../exec/hand-over.js';
import type { SessionBounds } from './session-bounds.js';
import type { SessionChildren } from './session-children.js';
import type { SessionClock } from './session-clock.js';
import type { RuntimeOptions } from './runtime-options.js';
import type { Call, Effect, RuntimeInput, RuntimeState } from './session-step.js';
import type { ChildEvent } from './spec-mirror.js';
import { startSession } from './start-session.js';
import { stopSession, supervisorGraceMs } from './stop-session.js';
import type { SupervisorLink } from './supervisor-link.js';

/** What the effects act on: one session's processes, timers and bounds, and the door back into its step. */
export interface EffectTargets {
  readonly id: string;
  readonly createdAt: string;
  readonly options: RuntimeOptions;
  readonly link: SupervisorLink;
  readonly clock: SessionClock;
  readonly bounds: SessionBounds;
  readonly children: SessionChildren;
  readonly state: () => RuntimeState;
  readonly input: (input: RuntimeInput) => Promise<unknown>;
}

/**
 * Runs what a step decided (session-step.ts): it decides nothing about the session's status. It
 * holds the promises a caller waits on: the pending start, and the stop path once it runs.
 */
export class SessionEffects {
  private started: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private stopped: Promise<void> | null = null;

  constructor(private readonly the: EffectTargets) {}

  /** Runs `effects` in order; resolves or rejects as the call they answer, if any. */
  apply(effects: readonly Effect[]): Promise<unknown> {
    let answer: Promise<unknown> = Promise.resolve();
    for (const effect of effects) {
      const answered = this.run(effect);
      if (answered) answer = answered;
    }
    return answer;
  }

  /** Resolves once the stop path is done (at once if it never began). */
  whenStopped(): Promise<void> {
    return this.stopped ?? Promise.resolve();
  }

  // A throw while handling this session's input ends this session, never the daemon.
  guard(what: string, handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.the.options.warn(`session ${this.the.id}: internal error while handling ${what}: ${errorMessage(error)}`);
      void this.the.input({ kind: 'fault', reason: `${what}: ${errorMessage(error)}` });
    }
  }

  // A listener that throws (the store, say) is this session's fault: it is stopped, the daemon goes on.
  emit(type: EventType, fields?: Record<string, unknown>): void {
    try {
      this.the.options.emit(type, fields);
    } catch (error) {
      this.the.options.warn(`session ${this.the.id}: handling event ${type} failed: ${errorMessage(error)}`);
      queueMicrotask(() => void this.the.input({ kind: 'fault', reason: `handling event ${type}: ${errorMessage(error)}` }));
    }
  }

  private run(effect: Effect): Promise<unknown> | void {
    const { id, link, clock, children, options } = this.the;
    switch (effect.kind) {
      case 'emit':
        return this.emit(effect.type, effect.fields);
      case 'debug':
        return options.debug(`session ${id}: ${effect.message}`);
      case 'go':
        return this.go(effect.call);
      case 'refuse':
        return Promise.reject(new SessiondError(effect.code, `session ${id} ${effect.why}`));
      case 'ready':
        for (const child of effect.children) children.update(child);
        // Heartbeats start once the supervisor is up; until then the start timeout watches it.
        return clock.startBeating(() => this.guard('a heartbeat', () => void this.the.input({ kind: 'tick' })));
      case 'settle_start':
        return this.settleStart(effect.failure);
      case 'child':
        return this.child(effect.message);
      case 'beat':
        return this.beat();
      case 'stop': {
        clock.clear();
        link.failAll(`session ${id} is stopping`);
        const processes = { proc: link.proc, graceMs: supervisorGraceMs(this.the.state().mirror.spec), groups: () => children.groups() };
        this.stopped = stopSession(id, effect.cause, processes, this.the.bounds, options.warn).then((exit) => void this.the.input({ kind: 'stopped', exit }));
        return;
      }
      case 'children_gone':
        for (const child of children.stopAll()) this.emit('child.exited', { child: child.name, pid: child.pid, restarts: child.restarts, code: null, signal: 'SIGKILL' });
        return;
    }
  }

  private go(call: Call): Promise<unknown> {
    const { link, bounds, clock } = this.the;
    switch (call.kind) {
      case 'start': {
        const started = new Promise<void>((resolve, reject) => (this.started = { resolve, reject }));
        startSession(this.the, (what, handle) => this.guard(what, handle));
        return started;
      }
      case 'request':
        return link.request(call.request.request, call.request.timeoutMs, () => call.request.late);
      case 'hand_over':
        return handOver(link.proc?.subprocess, call.message, call.socket);
      case 'pause':
        return bounds.pause.pause().then(() => this.the.input({ kind: 'paused' }));
      case 'resume':
        return bounds.pause.resume().then((pausedMs) => {
          clock.resumed(pausedMs);
          return this.the.input({ kind: 'resumed' });
        });
    }
  }

  private child(message: ChildEvent): void {
    const { children, bounds } = this.the;
    const { child, event, restarts: _, spec: __, ...exit } = message;
    const reason = event === 'exited' ? (exit.reason ?? bounds.exitReason(children.pid(child.name), { signal: exit.signal ?? null })) : null;
    children.update(child, reason);
    if (event === 'removed') children.remove(child.name);
    // 'spawned' and 'waiting' only tell the daemon a pid or a restart delay: no event of the contract.
    if (event !== 'spawned' && event !== 'waiting') this.emit(`child.${event}`, { child: child.name, pid: child.pid, restarts: child.restarts, ...exit, ...(reason ? { reason } : {}) });
  }

  // Heartbeat of the supervisor, and the idle clock.
  private beat(): void {
    const beat = this.the.clock.beat(this.the.state().mirror.spec.idleTerminateMs ?? null);
    if (beat.kind !== 'ping') return void this.the.input(beat);
    this.the.link.post({ type: 'ping', seq: Date.now() });
    if (beat.quiet) void this.the.input({ kind: 'quiet' });
  }

  /** Resolves the pending start (null) or rejects it with the reason; once. */
  private settleStart(failure: string | null): void {
    const started = this.started;
    this.started = null;
    if (failure === null) started?.resolve();
    else started?.reject(new SessiondError('start_failed', `session ${this.the.id} failed to start: ${failure}`));
  }
}
