// Shapes, not zod: this module is in the supervisor's bundle, loaded by every session.
import { AUTO_SHUTDOWN, BACKOFF, CHILD_STATUSES, RESTART_TYPES, STRATEGIES } from '../contract/vocabulary.js';
import { attachOrder, execOrder, execReport, outputOrder } from '../exec/exec-messages.js';
import { array, boolean, int, nullable, number, object, oneOf, optional, positive, record, string, tagged, unknown, type Infer } from './shape.js';

/**
 * The daemon ↔ supervisor channel: one shape per direction, checked where messages arrive.
 * What travels here is already complete (defaults filled in by the manager), so nothing is
 * optional that the supervisor needs.
 */

const exitReason = oneOf('memory', 'hung');
const exitInfo = object({ code: nullable(number), signal: nullable(string), at: string, reason: optional(exitReason) });

export const childState = object({
  name: string,
  pid: nullable(int()),
  status: oneOf(...CHILD_STATUSES),
  restarts: int(),
  lastExit: nullable(exitInfo),
  /** While it waits out a restart delay: when it starts again (ISO). */
  nextRestartAt: nullable(string),
});
export type ChildState = Infer<typeof childState>;

const childSpec = object({
  name: string,
  file: optional(string),
  command: optional(string),
  args: array(string),
  env: record(string),
  cwd: string,
  restart: oneOf(...RESTART_TYPES),
  shutdownMs: int(0),
  significant: boolean,
  restartDelayMs: int(0),
  backoff: oneOf(...BACKOFF),
  maxRestartDelayMs: int(0),
  // Optional: a spec stored before attach existed has none (it reads as "ignore").
  stdin: optional(oneOf('ignore', 'pipe')),
});

const childrenLeaf = object({ procs: array(string), freezer: nullable(object({ dir: string, via: oneOf('v1', 'v2') })) });

export const supervisorInit = object({
  session: object({
    id: string,
    metadata: record(unknown),
    llmConfig: record(unknown),
    // None is a session whose last child was removed: it comes back as it was, with none.
    children: array(childSpec),
    strategy: oneOf(...STRATEGIES),
    maxRestarts: int(0),
    maxSeconds: positive,
    autoShutdown: oneOf(...AUTO_SHUTDOWN),
    // Limits and lifetimes are the daemon's to enforce; the supervisor carries them as they are.
    memoryMax: nullable(number),
    cpuMax: nullable(number),
    maxProcesses: nullable(number),
    ttlMs: nullable(number),
    idleTerminateMs: nullable(number),
    /** Children stopped on request: they come back stopped. */
    held: optional(array(string)),
  }),
  heartbeatMs: int(1),
  /** The whole start's budget; a restarted child gets as much for itself. */
  startTimeoutMs: int(1),
  logDir: nullable(string),
  /** An isolated session's: the fd its children's log records are relayed on (the daemon writes them; logDir is then null). */
  logFd: optional(int(3)),
  /** A child's log rotates past maxBytes, keeping `files` rotated files (default 5 MiB, 3). */
  logRotation: optional(object({ maxBytes: int(1), files: int(0) })),
  /** This install's preloads, which let a Node child anywhere import 'sessiond/child' (node-flags.ts). */
  nodeResolve: optional(object({ import: string, require: string, root: string })),
  /** The session's children leaf (cgroup/children-leaf.ts): absent when the session has no cgroup. */
  childrenLeaf: optional(childrenLeaf),
});
export type SupervisorInit = Infer<typeof supervisorInit>;

/** What the daemon asks of a running supervisor; each gets a `response` of its id. */
export const supervisorRequest = tagged('op', {
  add_child: { spec: childSpec },
  stop_child: { name: string },
  restart_child: { name: string },
  remove_child: { name: string },
  restart_all: {},
  /** A `send`; no child: the first that has an onMessage handler. The supervisor drops it after timeoutMs (the daemon's timeout). */
  call: { child: optional(string), body: unknown, timeoutMs: int(1) },
});
export type SupervisorRequest = Infer<typeof supervisorRequest>;

/**
 * The result of every request but `call`: the supervisor owns the child list, and answers each
 * change with the list as it now stands (every child's state, in start order, and those stopped
 * on request), for the daemon to mirror.
 */
export const adminResult = object({ children: array(childState), held: array(string) });
export type AdminResult = Infer<typeof adminResult>;

/**
 * A spare: a supervisor started ahead of need, with the session's Placeholder spawned under it
 * (its id reserved, so its marker is the session's), which waits for its init until a create
 * takes the spare; born in the children leaf of the spare's group, if the daemon made one.
 */
export const spareInit = object({ session: string, placeholder: childSpec, childrenLeaf: optional(childrenLeaf) });
export type SpareInit = Infer<typeof spareInit>;

export const toSupervisor = tagged('type', {
  init: { init: supervisorInit },
  spare: { spare: spareInit },
  ping: { seq: number },
  shutdown: {},
  request: { id: int(), request: supervisorRequest },
  // Each comes with the client's socket as the IPC handle (src/exec).
  exec: { exec: execOrder },
  exec_output: { output: outputOrder },
  attach: { attach: attachOrder },
});
export type ToSupervisor = Infer<typeof toSupervisor>;

// 'spawned' is no event of the contract: it tells the daemon a pid to clean up should we die.
// 'waiting' neither: a child waits out its restart delay (status restarting, nextRestartAt).
export const childEventKind = oneOf('spawned', 'waiting', 'started', 'exited', 'restarted', 'hung', 'added', 'stopped', 'removed');

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
    /** With `exited`: where the supervisor caused it (a hang); memory is the daemon's to tell. */
    reason: optional(exitReason),
    output: optional(array(string)),
    /** With `added`: the child's spec as the supervisor runs it (the daemon mirrors its child list). */
    spec: optional(childSpec),
  },
  activity: { child: string, at: string },
  gave_up: { reason: string },
  /** A significant child ended and the session ends with it (autoShutdown). */
  auto_shutdown: { reason: string },
  response: { id: int(), result: optional(unknown), error: optional(object({ code: string, message: string })) },
  publish: { child: string, topic: string, data: unknown, at: string },
  /** The spare's Placeholder has loaded (it answered a ping) and waits for its init: the spare is ready to take. */
  spare_ready: { placeholderPid: int(1) },
  /** The spare's Placeholder died (or was discarded for never answering) before any init came: the spare is broken, and the daemon ends it (unless it has just taken it). */
  spare_lost: {},
  /** An exec started or ended: the events exec.started and exec.exited. */
  exec: { report: execReport },
});
export type FromSupervisor = Infer<typeof fromSupervisor>;

/** Exit code of a supervisor whose restart intensity was exceeded. */
export const EXIT_GAVE_UP = 70;
/** Exit code of a supervisor whose children could not all be started. */
export const EXIT_START_FAILED = 71;
/** Exit code of a supervisor that ended its session because a significant child ended. */
export const EXIT_AUTO_SHUTDOWN = 72;
