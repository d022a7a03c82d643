// Shapes, not zod: this module is in the supervisor's bundle, loaded by every session.
import { array, int, nullable, number, object, oneOf, optional, positive, record, string, tagged, unknown, type Infer } from './shape.js';

/**
 * The daemon ↔ supervisor channel: one shape per direction, checked where messages arrive.
 * What travels here is already complete (defaults filled in by the manager), so nothing is
 * optional that the supervisor needs.
 */

const exitInfo = object({ code: nullable(number), signal: nullable(string), at: string });

export const childState = object({
  name: string,
  pid: nullable(int()),
  status: oneOf('starting', 'running', 'restarting', 'stopping', 'stopped'),
  restarts: int(),
  lastExit: nullable(exitInfo),
});
export type ChildState = Infer<typeof childState>;

const childSpec = object({
  name: string,
  file: optional(string),
  command: optional(string),
  args: array(string),
  env: record(string),
  restart: oneOf('permanent', 'transient', 'temporary'),
  shutdownMs: int(0),
});

export const supervisorInit = object({
  session: object({
    id: string,
    metadata: record(unknown),
    llmConfig: record(unknown),
    children: array(childSpec, 1),
    strategy: oneOf('one_for_one', 'one_for_all', 'rest_for_one'),
    maxRestarts: int(0),
    maxSeconds: positive,
  }),
  heartbeatMs: int(1),
  /** The whole start's budget; a restarted child gets as much for itself. */
  startTimeoutMs: int(1),
  logDir: nullable(string),
});
export type SupervisorInit = Infer<typeof supervisorInit>;

export const toSupervisor = tagged('type', {
  init: { init: supervisorInit },
  ping: { seq: number },
  shutdown: {},
});
export type ToSupervisor = Infer<typeof toSupervisor>;

// 'spawned' is no event of the contract: it tells the daemon a pid to clean up should we die.
export const childEventKind = oneOf('spawned', 'started', 'exited', 'restarted', 'hung');

export const fromSupervisor = tagged('type', {
  ready: { children: array(childState) },
  start_failed: { error: string },
  pong: { seq: number },
  child: {
    event: childEventKind,
    child: childState,
    restarts: int(),
    code: optional(nullable(number)),
    signal: optional(nullable(string)),
    output: optional(array(string)),
  },
  activity: { child: string, at: string },
  gave_up: { reason: string },
});
export type FromSupervisor = Infer<typeof fromSupervisor>;

/** Exit code of a supervisor whose restart intensity was exceeded. */
export const EXIT_GAVE_UP = 70;
/** Exit code of a supervisor whose children could not all be started. */
export const EXIT_START_FAILED = 71;
