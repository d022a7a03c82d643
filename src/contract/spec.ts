import * as z from 'zod';
import { CHILD_NAME_PATTERN, SESSION_ID_PATTERN } from './ids.js';
import { DEFAULTS } from './defaults.js';
import { SessiondError } from './errors.js';
import { describeIssues } from './issues.js';

export { DEFAULTS } from './defaults.js';
export { describeIssues } from './issues.js';

const jsonObject = z.record(z.string(), z.unknown());

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
    restart: z.enum(['permanent', 'transient', 'temporary']).default(DEFAULTS.restart),
    shutdownMs: z.number().int().min(0).max(600_000).default(DEFAULTS.shutdownMs),
  })
  .refine((c) => (c.file === undefined) !== (c.command === undefined), {
    message: 'give exactly one of "file" (a Node module) or "command" (an executable)',
  });

export const sessionSpecInput = z.strictObject({
  id: z.string().regex(SESSION_ID_PATTERN, 'must match ' + SESSION_ID_PATTERN.source).optional(),
  metadata: jsonObject.default({}),
  llmConfig: jsonObject.default({}),
  children: z.array(childSpecInput).default([]),
  strategy: z.enum(['one_for_one', 'one_for_all', 'rest_for_one']).default(DEFAULTS.strategy),
  maxRestarts: z.number().int().min(0).max(10_000).default(DEFAULTS.maxRestarts),
  maxSeconds: z.number().positive().max(86_400).default(DEFAULTS.maxSeconds),
});

export type SessionSpecInput = z.input<typeof sessionSpecInput>;
export type ChildSpecInput = z.input<typeof childSpecInput>;

/** A child as the supervisor runs it: complete, with every default filled in. */
export type ChildSpec = Readonly<z.output<typeof childSpecInput>>;

/** A session as the supervisor runs it: complete, with an id and at least one child. */
export type SessionSpec = Readonly<Omit<z.output<typeof sessionSpecInput>, 'id' | 'children'> & { id: string; children: ChildSpec[] }>;

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
