import * as z from 'zod';
import { childSpecInput } from '../contract/spec.js';

/** The daemon ↔ supervisor channel: one zod schema per direction, checked where messages arrive. */

const exitInfo = z.object({ code: z.number().nullable(), signal: z.string().nullable(), at: z.string() });

export const childState = z.object({
  name: z.string(),
  pid: z.number().int().nullable(),
  status: z.enum(['starting', 'running', 'restarting', 'stopping', 'stopped']),
  restarts: z.number().int(),
  lastExit: exitInfo.nullable(),
});
export type ChildState = z.infer<typeof childState>;

export const supervisorInit = z.object({
  session: z.object({
    id: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    llmConfig: z.record(z.string(), z.unknown()),
    children: z.array(childSpecInput).min(1),
    strategy: z.enum(['one_for_one', 'one_for_all', 'rest_for_one']),
    maxRestarts: z.number().int().min(0),
    maxSeconds: z.number().positive(),
  }),
  heartbeatMs: z.number().int().positive(),
  /** The whole start's budget; a restarted child gets as much for itself. */
  startTimeoutMs: z.number().int().positive(),
  logDir: z.string().nullable(),
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
    restarts: z.number().int(),
    code: z.number().nullable().optional(),
    signal: z.string().nullable().optional(),
    output: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal('activity'), child: z.string(), at: z.string() }),
  z.object({ type: z.literal('gave_up'), reason: z.string() }),
]);
export type FromSupervisor = z.infer<typeof fromSupervisor>;

/** Exit code of a supervisor whose restart intensity was exceeded. */
export const EXIT_GAVE_UP = 70;
/** Exit code of a supervisor whose children could not all be started. */
export const EXIT_START_FAILED = 71;
