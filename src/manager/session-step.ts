import type { Socket } from 'node:net';
import type { EventType } from '../contract/events.js';
import type { ExitInfo } from '../contract/session.js';
import type { ChildState } from '../ipc/supervisor-messages.js';
import type { HandOverMessage } from '../exec/exec-params.js';
import type { ChildRequest } from './child-requests.js';
import { ask, type Answer } from './session-asks.js';
import { outcome, transition, type MachineState, type SessionInput, type StopCause } from './session-machine.js';
import { asked, mirrored, mirrorOf, type ChildEvent, type SpecMirror } from './spec-mirror.js';
import type { SessionSpec } from '../contract/spec.js';

/** Everything the runtime decides from: its status machine, the spec mirror, and how it ended. */
export interface RuntimeState {
  readonly machine: MachineState;
  readonly mirror: SpecMirror;
  /** The error it ended with (null while it runs, or when it ended as asked). */
  readonly error: string | null;
  readonly updatedAt: string;
  /** The supervisor's last word when it gives up (restart intensity exceeded). */
  readonly gaveUp: string | null;
  /** It has been ready once: a crash after that is announced (session.crashed). */
  readonly wasActive: boolean;
}

/** A caller's call, answered by the effect that runs it (`go`) or by a refusal. */
export type Call =
  | { readonly kind: 'start' }
  | { readonly kind: 'request'; readonly request: ChildRequest }
  | { readonly kind: 'hand_over'; readonly message: HandOverMessage; readonly socket: Socket }
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' };

export type RuntimeInput =
  | SessionInput
  | { readonly kind: 'call'; readonly call: Call }
  /** The heartbeat's timer fired. */
  | { readonly kind: 'tick' }
  | { readonly kind: 'child'; readonly message: ChildEvent }
  | { readonly kind: 'gave_up'; readonly reason: string };

/** What the runtime does after a step, in order (session-effects.ts runs them). */
export type Effect =
  | { readonly kind: 'emit'; readonly type: EventType; readonly fields?: Record<string, unknown> }
  | { readonly kind: 'debug'; readonly message: string }
  /** The call goes ahead; what it does answers it. */
  | { readonly kind: 'go'; readonly call: Call }
  | { readonly kind: 'refuse'; readonly code: Extract<Answer, { kind: 'refuse' }>['code']; readonly why: string }
  /** The children as the supervisor reported them when ready; heartbeats from now on. */
  | { readonly kind: 'ready'; readonly children: readonly ChildState[] }
  /** The pending start resolves (null) or fails with this reason. */
  | { readonly kind: 'settle_start'; readonly failure: string | null }
  /** A child's report: its state recorded, its event announced. */
  | { readonly kind: 'child'; readonly message: ChildEvent }
  | { readonly kind: 'beat' }
  /** The one stop path begins. */
  | { readonly kind: 'stop'; readonly cause: StopCause }
  /** After the stop: the children the supervisor went without reporting were SIGKILLed with it. */
  | { readonly kind: 'children_gone' };

export interface Step {
  readonly state: RuntimeState;
  readonly effects: readonly Effect[];
}

export function initialState(spec: SessionSpec, now: string): RuntimeState {
  return { machine: { status: 'initializing', stopping: null }, mirror: mirrorOf(spec), error: null, updatedAt: now, gaveUp: null, wasActive: false };
}

/** The runtime's one decision: the state after `input` and what to do about it. Pure; `now` stamps a change. */
export function step(state: RuntimeState, input: RuntimeInput, now: string): Step {
  switch (input.kind) {
    case 'call':
      return call(state, input.call);
    case 'tick':
      // A paused session's processes cannot answer, and its idle clock stands still.
      return { state, effects: ask(state.machine, 'tick').kind === 'go' ? [{ kind: 'beat' }] : [] };
    case 'gave_up':
      return { state: { ...state, gaveUp: input.reason }, effects: [emit('supervisor.gave_up', { reason: input.reason })] };
    case 'child': {
      const answer = ask(state.machine, 'child_event');
      if (answer.kind !== 'go') return { state, effects: [{ kind: 'debug', message: answer.kind === 'skip' ? answer.why : 'child event refused' }] };
      return { state: { ...state, mirror: mirrored(state.mirror, input.message), updatedAt: now }, effects: [{ kind: 'child', message: input.message }] };
    }
    default:
      return lifecycle(state, input, now);
  }
}

function call(state: RuntimeState, call: Call): Step {
  const answer = ask(state.machine, call.kind);
  if (answer.kind === 'skip') return { state, effects: [] };
  if (answer.kind === 'refuse') {
    const why = call.kind === 'start' ? `failed to start: ${state.error ?? answer.why}` : answer.why;
    return { state, effects: [{ kind: 'refuse', code: answer.code, why }] };
  }
  const adding = call.kind === 'request' ? call.request.adding : undefined;
  return { state: adding ? { ...state, mirror: asked(state.mirror, adding) } : state, effects: [{ kind: 'go', call }] };
}

// An input of the status machine, and what comes with its change.
function lifecycle(state: RuntimeState, input: SessionInput, now: string): Step {
  const next = transition(state.machine, input);
  if (next.ignored) return { state, effects: [{ kind: 'debug', message: next.ignored }] };
  const moved = { ...state, machine: next.state, ...(next.state.status !== state.machine.status ? { updatedAt: now } : {}) };
  if (input.kind === 'stopped') return ended(moved, state.machine.stopping ?? { kind: 'requested' }, input.exit);
  const effects: Effect[] = [];
  if (input.kind === 'ready') effects.push({ kind: 'ready', children: input.children }, { kind: 'settle_start', failure: null });
  if (input.kind === 'expired') effects.push(emit('session.expired', { ttlMs: input.ms }));
  if (next.emit) effects.push(emit(next.emit));
  if (next.stop) effects.push({ kind: 'stop', cause: next.stop });
  return { state: input.kind === 'ready' ? { ...moved, wasActive: true } : moved, effects };
}

// The stop path is done: how the session ended, from its cause and the supervisor's exit.
function ended(state: RuntimeState, cause: StopCause, exit: ExitInfo | null): Step {
  const { error, crashed, reason } = outcome(cause, state.wasActive, state.gaveUp);
  const effects: Effect[] = [];
  if (crashed) effects.push(emit('session.crashed', { reason: error, code: exit?.code ?? null, signal: exit?.signal ?? null }));
  effects.push({ kind: 'children_gone' }, emit('session.terminated', reason ? { error, reason } : { error }), { kind: 'settle_start', failure: error ?? 'terminated while starting' });
  return { state: { ...state, error }, effects };
}

function emit(type: EventType, fields?: Record<string, unknown>): Effect {
  return fields ? { kind: 'emit', type, fields } : { kind: 'emit', type };
}
