import * as z from 'zod';
import { CHILD_NAME_PATTERN, SESSION_ID_PATTERN } from './ids.js';
import { DEFAULTS } from './defaults.js';
import { durationMs } from './durations.js';
import { SessiondError } from './errors.js';
import { describeIssues } from './issues.js';
import { availableParallelism } from 'node:os';
import type { IsolationState } from './isolation.js';
import { AUTO_SHUTDOWN, BACKOFF, RESTART_TYPES, STRATEGIES } from './vocabulary.js';

export { DEFAULTS } from './defaults.js';
export { describeIssues } from './issues.js';

const jsonObject = z.record(z.string(), z.unknown());
const positiveInt = z.number().int().positive();

/** A child spec as a user writes it; `cwd` is absolute, or relative to the create's working directory. */
export const childSpecInput = z
  .strictObject({
    name: z.string().regex(CHILD_NAME_PATTERN, 'must match ' + CHILD_NAME_PATTERN.source),
    file: z.string().min(1).optional(),
    // A bare name with a blank cannot be in PATH: it is a command line, which a spec does not split.
    command: z
      .string()
      .min(1)
      .refine((c) => c.includes('/') || !/\s/.test(c), {
        message: 'is the executable alone, never split: put its arguments in "args", e.g. "command": "sleep", "args": ["1000"]',
      })
      .optional(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().min(1).optional(),
    restart: z.enum(RESTART_TYPES).default(DEFAULTS.restart),
    shutdownMs: durationMs().default(DEFAULTS.shutdownMs),
    significant: z.boolean().default(false),
    restartDelayMs: durationMs().default(0),
    backoff: z.enum(BACKOFF).default('none'),
    maxRestartDelayMs: durationMs().default(DEFAULTS.maxRestartDelayMs),
    // "pipe": its stdin stays open for one attacher at a time (sessionctl attach); absent: "ignore".
    stdin: z.enum(['ignore', 'pipe']).optional(),
  })
  .refine((c) => (c.file === undefined) !== (c.command === undefined), {
    message: 'give exactly one of "file" (a Node module) or "command" (an executable)',
  })
  // OTP: a permanent child is always restarted, so it can never be the one whose end ends the session.
  .refine((c) => !c.significant || c.restart !== 'permanent', {
    message: 'only a transient or temporary child may be significant (give "restart": "transient" or "temporary")',
    path: ['significant'],
  });

/** The most CPU a session may be given: every core, in percent of one. */
export const MAX_CPU_PERCENT = 100 * availableParallelism();

/** Limits and lifetimes of a session; null: none. */
export const limitsInput = {
  memoryMax: positiveInt.nullable().default(null),
  cpuMax: z.number().positive().max(MAX_CPU_PERCENT, `must be at most ${MAX_CPU_PERCENT} (100 per core)`).nullable().default(null),
  maxProcesses: positiveInt.max(1_000_000).nullable().default(null),
  ttlMs: durationMs(1).nullable().default(null),
  idleTerminateMs: durationMs(1).nullable().default(null),
};

/** Isolation (contract "Isolation"): `isolate` unset takes the daemon's default; `readOnly` and `network: false` imply it. */
export const isolationInput = {
  isolate: z.boolean().optional(),
  readOnly: z.boolean().default(false),
  network: z.boolean().default(true),
  keepWorkdir: z.boolean().default(false),
};

/** The isolation a create asks for, which the daemon turns into the session's `isolation` (or none). */
export type IsolationInputKey = keyof typeof isolationInput;

export const sessionSpecInput = z.strictObject({
  id: z.string().regex(SESSION_ID_PATTERN, 'must match ' + SESSION_ID_PATTERN.source).optional(),
  metadata: jsonObject.default({}),
  llmConfig: jsonObject.default({}),
  children: z.array(childSpecInput).default([]),
  strategy: z.enum(STRATEGIES).default(DEFAULTS.strategy),
  maxRestarts: z.number().int().min(0).max(10_000).default(DEFAULTS.maxRestarts),
  maxSeconds: z.number().positive().max(86_400).default(DEFAULTS.maxSeconds),
  autoShutdown: z.enum(AUTO_SHUTDOWN).default('never'),
  ...limitsInput,
  ...isolationInput,
});

export type SessionSpecInput = z.input<typeof sessionSpecInput>;
/** A session spec as parsed, defaults filled in, before the manager completes it (id, Placeholder, paths). */
export type ParsedSessionInput = z.output<typeof sessionSpecInput>;
export type ChildSpecInput = z.input<typeof childSpecInput>;
export type ParsedChildInput = z.output<typeof childSpecInput>;

/** A child as the supervisor runs it: complete, with every default filled in and an absolute cwd. */
export type ChildSpec = Readonly<z.output<typeof childSpecInput> & { cwd: string }>;

/** A session as the supervisor runs it: complete, with an id and at least one child. */
export type SessionSpec = Readonly<
  Omit<z.output<typeof sessionSpecInput>, 'id' | 'children' | IsolationInputKey> & {
    id: string;
    children: ChildSpec[];
    /** Where a child without a cwd of its own runs, one added later too: the create's cwd (absent in specs stored before it was kept). */
    cwd?: string;
    /** Children stopped on request (`child stop`): the daemon's to set, and what a resurrection brings back stopped. */
    held?: string[];
    /** An isolated session's user and work dir, the daemon's to set: a resurrection brings them back. */
    isolation?: IsolationState | null;
  }
>;

/** Parses with a zod schema; a failure names every bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new SessiondError('invalid_params', `invalid ${what}: ${describeIssues(result.error)}`);
}

/** Child names must be unique within a session: they key logs and restarts. */
export function assertUniqueNames(children: readonly { name: string }[]): void {
  const seen = new Set<string>();
  for (const { name } of children) {
    if (seen.has(name)) throw new SessiondError('invalid_params', `invalid session spec: child name "${name}" is used twice`);
    seen.add(name);
  }
}
