import type { MachineState } from './session-machine.js';

/**
 * What the runtime may do now, decided from the machine's state alone: the questions a client's
 * call or a timer asks before it acts (start, a request to the supervisor, pause, resume, a
 * heartbeat, a child's event, an exec handed over). Pure, so every status × question is tested in a table; the runtime
 * only words the refusal with its session's id.
 */
export type Question = 'start' | 'request' | 'hand_over' | 'pause' | 'resume' | 'tick' | 'child_event';

export type Answer =
  | { readonly kind: 'go' }
  /** Nothing to do, and no error: a pause of a paused session, a late child event. */
  | { readonly kind: 'skip'; readonly why: string }
  | { readonly kind: 'refuse'; readonly code: 'not_running' | 'not_supported' | 'start_failed'; readonly why: string };

const GO: Answer = { kind: 'go' };

export function ask(state: MachineState, question: Question): Answer {
  const { status } = state;
  const running = !state.stopping && (status === 'active' || status === 'idle');
  switch (question) {
    case 'start':
      // Terminated while it waited its turn to start: nothing was started, nothing to start now.
      return status === 'initializing' && !state.stopping ? GO : { kind: 'refuse', code: 'start_failed', why: 'terminated while starting' };
    case 'request':
      return running ? GO : { kind: 'refuse', code: 'not_running', why: `is ${status}: its children cannot be changed or sent to` };
    case 'hand_over':
      // An exec or attach may wait in a paused session: it runs when the session is resumed.
      return status === 'active' || status === 'idle' || status === 'paused' ? GO : { kind: 'refuse', code: 'not_running', why: `is ${status}: nothing can run in it` };
    case 'pause':
      if (status === 'paused') return { kind: 'skip', why: 'it is paused already' };
      return running ? GO : { kind: 'refuse', code: 'not_supported', why: `is ${status}: only an active or idle session can be paused` };
    case 'resume':
      if (status === 'terminated') return { kind: 'refuse', code: 'not_supported', why: 'is terminated: there is nothing to resume' };
      return status === 'paused' && !state.stopping ? GO : { kind: 'skip', why: `it is ${status}` };
    case 'tick':
      // A paused session's processes cannot answer, and its idle clock stands still.
      return status === 'paused' ? { kind: 'skip', why: 'it is paused' } : GO;
    case 'child_event':
      return status === 'terminated' ? { kind: 'skip', why: 'late child event ignored: it is terminated' } : GO;
  }
}
