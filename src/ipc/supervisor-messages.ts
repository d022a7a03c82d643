// zod/mini, not zod: this module is in the supervisor's bundle, loaded by every session.
import * as z from 'zod/mini';

/**
 * The daemon ↔ supervisor channel: one schema per direction, checked where messages arrive.
 * What travels here is already complete (defaults filled in by the manager), so nothing is
 * optional that the supervisor needs.
 */

const exitInfo = z.object({ code: z.nullable(z.number()), signal: z.nullable(z.string()), at: z.string() });

export const childState = z.object({
  name: z.string(),
  pid: z.nullable(z.int()),
  status: z.enum(['starting', 'running', 'restarting', 'stopping', 'stopped']),
  restarts: z.int(),
  lastExit: z.nullable(exitInfo),
});
export type ChildState = z.infer<typeof childState>;

const childSpec = z.object({
  name: z.string(),
  file: z.optional(z.string()),
  command: z.optional(z.string()),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()),
  restart: z.enum(['permanent', 'transient', 'temporary']),
  shutdownMs: z.int().check(z.gte(0)),
});

export const supervisorInit = z.object({
  session: z.object({
    id: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    llmConfig: z.record(z.string(), z.unknown()),
    children: z.array(childSpec).check(z.minLength(1)),
    strategy: z.enum(['one_for_one', 'one_for_all', 'rest_for_one']),
    maxRestarts: z.int().check(z.gte(0)),
    maxSeconds: z.number().check(z.positive()),
  }),
  heartbeatMs: z.int().check(z.positive()),
  /** The whole start's budget; a restarted child gets as much for itself. */
  startTimeoutMs: z.int().check(z.positive()),
  logDir: z.nullable(z.string()),
});
export type SupervisorInit = z.infer<typeof supervisorInit>;

export const toSupervisor = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), init: supervisorInit }),
  z.object({ type: z.literal('ping'), seq: z.number() }),
  z.object({ type: z.literal('shutdown') }),
]);
export type ToSupervisor = z.infer<typeof toSupervisor>;

// 'spawned' is no event of the contract: it tells the daemon a pid to clean up should we die.
export const childEventKind = z.enum(['spawned', 'started', 'exited', 'restarted', 'hung']);

export const fromSupervisor = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), children: z.array(childState) }),
  z.object({ type: z.literal('start_failed'), error: z.string() }),
  z.object({ type: z.literal('pong'), seq: z.number() }),
  z.object({
    type: z.literal('child'),
    event: childEventKind,
    child: childState,
    restarts: z.int(),
    code: z.optional(z.nullable(z.number())),
    signal: z.optional(z.nullable(z.string())),
    output: z.optional(z.array(z.string())),
  }),
  z.object({ type: z.literal('activity'), child: z.string(), at: z.string() }),
  z.object({ type: z.literal('gave_up'), reason: z.string() }),
]);
export type FromSupervisor = z.infer<typeof fromSupervisor>;

/** Exit code of a supervisor whose restart intensity was exceeded. */
export const EXIT_GAVE_UP = 70;
/** Exit code of a supervisor whose children could not all be started. */
export const EXIT_START_FAILED = 71;
