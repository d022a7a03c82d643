import type { EventType } from '../contract/events.js';
import { describeExit, type ExitInfo, type SessionStatus } from '../contract/session.js';
import { EXIT_AUTO_SHUTDOWN, EXIT_GAVE_UP, type ChildState } from '../ipc/supervisor-messages.js';

/**
 * A session's status machine as a pure transition (session-step.ts wraps it with the rest of the
 * session's state and the effects): every input is defined in every status. An input
 * that no longer applies (a late `ready` while terminating, a terminate of a terminated session)
 * is answered with `ignored`, never a throw: the daemon serves many sessions, and one session's
 * race is nobody else's problem.
 */

/** What can happen to a session: from its supervisor, from a client, from a timer. */
export type SessionInput =
  /** The supervisor is up, its children as it reports them. */
  | { readonly kind: 'ready'; readonly children: readonly ChildState[] }
  | { readonly kind: 'activity' }
  /** The idle clock ran out. */
  | { readonly kind: 'quiet' }
  | { readonly kind: 'terminate' }
  | { readonly kind: 'start_failed'; readonly reason: string }
  | { readonly kind: 'hung'; readonly reason: string }
  | { readonly kind: 'supervisor_exited'; readonly exit: ExitInfo }
  /** An unexpected exception while handling this session: it ends this session only. */
  | { readonly kind: 'fault'; readonly reason: string }
  /** A significant child ended, and the session with it (autoShutdown). */
  | { readonly kind: 'auto_shutdown'; readonly reason: string }
  /** The stop path is done: every process of the session is gone; the supervisor's exit, if known. */
  | { readonly kind: 'stopped'; readonly exit: ExitInfo | null }
  /** Its processes are stopped (freezer or SIGSTOP), or continue again. */
  | { readonly kind: 'paused' }
  | { readonly kind: 'resumed' }
  /** Lifetimes: ttlMs after its create, idleTerminateMs without activity. */
  | { readonly kind: 'expired'; readonly ms: number }
  | { readonly kind: 'idle_timeout'; readonly ms: number };

/** Why a session stops: decides how (SIGTERM and a grace, or SIGKILL at once) and the error it ends with. */
export type StopCause =
  | { readonly kind: 'requested' }
  | { readonly kind: 'start_failed'; readonly reason: string }
  | { readonly kind: 'hung'; readonly reason: string }
  | { readonly kind: 'supervisor_exited'; readonly exit: ExitInfo }
  | { readonly kind: 'fault'; readonly reason: string }
  | { readonly kind: 'auto_shutdown'; readonly reason: string }
  | { readonly kind: 'expired'; readonly ms: number }
  | { readonly kind: 'idle_timeout'; readonly ms: number };

export interface MachineState {
  readonly status: SessionStatus;
  /** Set once the stop path has begun; it runs once, whatever else arrives meanwhile. */
  readonly stopping: StopCause | null;
  /** While paused: the status a resume goes back to. */
  readonly pausedFrom?: 'active' | 'idle';
}

export interface Transition {
  readonly state: MachineState;
  /** Begin the one stop path with this cause. */
  readonly stop?: StopCause;
  /** A status change the contract announces. */
  readonly emit?: EventType;
  /** Why the input changed nothing, for a debug line. */
  readonly ignored?: string;
}

const RUNNING: readonly SessionStatus[] = ['active', 'idle', 'paused'];

export function transition(state: MachineState, input: SessionInput): Transition {
  const { status } = state;
  if (status === 'terminated') return ignore(state, input, 'the session is terminated');
  if (input.kind === 'stopped') return { state: { status: 'terminated', stopping: state.stopping } };
  if (state.stopping) return ignore(state, input, `the session is stopping (${state.stopping.kind})`);
  switch (input.kind) {
    case 'ready':
      return status === 'initializing' ? { state: { ...state, status: 'active' }, emit: 'session.active' } : ignore(state, input, `it is ${status}`);
    case 'activity':
      return status === 'idle' ? { state: { ...state, status: 'active' }, emit: 'session.active' } : { state };
    case 'quiet':
      return status === 'active' ? { state: { ...state, status: 'idle' }, emit: 'session.idle' } : { state };
    case 'terminate':
      return beginStop(state, { kind: 'requested' }, 'terminating');
    case 'start_failed':
      return status === 'initializing' ? beginStop(state, input, status) : ignore(state, input, `it is ${status}`);
    case 'hung':
      return RUNNING.includes(status) ? beginStop(state, input, status) : ignore(state, input, `it is ${status}`);
    case 'supervisor_exited':
      return beginStop(state, input, status);
    case 'fault':
      return beginStop(state, input, 'terminating');
    case 'paused':
      if (status === 'paused') return { state };
      return status === 'active' || status === 'idle' ? { state: { ...state, status: 'paused', pausedFrom: status }, emit: 'session.paused' } : ignore(state, input, `it is ${status}`);
    case 'resumed':
      return status === 'paused' ? { state: { status: state.pausedFrom ?? 'active', stopping: state.stopping }, emit: 'session.resumed' } : { state };
    case 'expired':
      return beginStop(state, input, 'terminating');
    case 'auto_shutdown':
    case 'idle_timeout':
      return RUNNING.includes(status) ? beginStop(state, input, 'terminating') : ignore(state, input, `it is ${status}`);
  }
}

function beginStop(state: MachineState, cause: StopCause, status: SessionStatus): Transition {
  const emit = status === 'terminating' ? ('session.terminating' as const) : undefined;
  return { state: { status, stopping: cause }, stop: cause, ...(emit ? { emit } : {}) };
}

function ignore(state: MachineState, input: SessionInput, why: string): Transition {
  return { state, ignored: `${input.kind} ignored: ${why}` };
}

/** Causes whose stop is orderly (SIGTERM, then SIGKILL after the grace); the others SIGKILL at once. */
export function isGraceful(cause: StopCause): boolean {
  return cause.kind === 'requested' || cause.kind === 'start_failed' || cause.kind === 'fault' || cause.kind === 'auto_shutdown' || cause.kind === 'expired' || cause.kind === 'idle_timeout';
}

export interface Outcome {
  readonly error: string | null;
  /** Its end is a crash the contract announces (`session.crashed`). */
  readonly crashed: boolean;
  /** Why an end that was no error came (`session.terminated`'s `reason`). */
  readonly reason?: 'auto_shutdown';
}

/** How a stop ended, from its cause and the supervisor's exit code. */
export function outcome(cause: StopCause, started: boolean, gaveUp: string | null): Outcome {
  switch (cause.kind) {
    case 'auto_shutdown':
      return { error: null, crashed: false, reason: 'auto_shutdown' };
    case 'requested':
      return { error: null, crashed: false };
    case 'start_failed':
      return { error: cause.reason, crashed: false };
    case 'fault':
      return { error: `internal error: ${cause.reason}`, crashed: false };
    case 'expired':
      return { error: `ttl expired after ${cause.ms} ms`, crashed: false };
    case 'idle_timeout':
      return { error: `idle for ${cause.ms} ms`, crashed: false };
    case 'hung':
      return { error: cause.reason, crashed: started };
    case 'supervisor_exited':
      // The supervisor's exit code says why it went; its last message, if it got through, says more.
      if (cause.exit.code === EXIT_GAVE_UP) return { error: gaveUp ?? 'restart intensity exceeded', crashed: false };
      if (cause.exit.code === EXIT_AUTO_SHUTDOWN) return { error: null, crashed: false, reason: 'auto_shutdown' };
      return { error: `supervisor crashed: ${describeExit(cause.exit)}`, crashed: started };
  }
}
