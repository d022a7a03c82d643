import { z } from 'zod';
import { durationMs } from '../contract/durations.js';
import { CHILD_NAME_PATTERN, SESSION_ID_PATTERN } from '../contract/ids.js';
import type { SessionSpec } from '../contract/spec.js';
import type { ToSupervisor } from '../ipc/supervisor-messages.js';
import { execCwd } from './exec-cwd.js';

// The params of exec and attach, checked once where they come in (the control socket's dispatch,
// SessionManager's exec/spawn/attach), and the order each becomes for the session's supervisor.

const sessionId = z.string().regex(SESSION_ID_PATTERN, `must be a session id matching ${SESSION_ID_PATTERN.source}`);
const noNul = (what: string) => z.string().refine((s) => !s.includes('\0'), { message: `${what} cannot hold a NUL byte` });
// Pairs an exec with its output connection: random, 128 bits at least (32 hex digits, a UUID).
const nonce = z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, 'must be 32 to 128 letters, digits, "-" or "_": a random value of 128 bits at least');

export const EXEC_PARAMS = {
  exec: z.strictObject({
    id: sessionId,
    // Looked up in PATH and run without a shell, as the session's children are.
    argv: z.array(noNul('an argument')).min(1, 'give the command to run: ["CMD", "ARG", …]').refine((argv) => argv[0] !== '', { message: 'the command is empty' }),
    // Relative to the session's cwd.
    cwd: noNul('cwd').min(1).optional(),
    env: z
      .record(
        z.string().regex(/^[^=\0]+$/, 'an environment name is not empty and holds no "=" or NUL'),
        noNul('an environment value'),
      )
      .default({}),
    timeoutMs: durationMs(1).optional(),
    tty: z.strictObject({ cols: z.number().int().min(1).max(65535), rows: z.number().int().min(1).max(65535) }).optional(),
    // Its stdout goes raw to the exec-output connection that carries this nonce (README, "Exec and attach frames").
    output: nonce.optional(),
  })
    .refine((p) => !(p.output !== undefined && p.tty !== undefined), { message: '"output" and "tty" do not go together: a tty carries both streams on the exec connection' }),
  'exec-output': z.strictObject({ id: sessionId, nonce }),
  attach: z.strictObject({
    id: sessionId,
    child: z.string().regex(CHILD_NAME_PATTERN, `must be a child name matching ${CHILD_NAME_PATTERN.source}`),
  }),
} as const;

export type ExecParams = z.output<typeof EXEC_PARAMS.exec>;
export type AttachParams = z.output<typeof EXEC_PARAMS.attach>;
export type OutputParams = z.output<(typeof EXEC_PARAMS)['exec-output']>;

/** What goes to the session's supervisor with the connection it is to serve. */
export type HandOverMessage = Extract<ToSupervisor, { type: 'exec' | 'exec_output' | 'attach' }>;

/** `request`: the id its first reply line names. */
export function execMessage(spec: SessionSpec, { argv, cwd, env, timeoutMs, tty, output }: ExecParams, request: unknown): HandOverMessage {
  return { type: 'exec', exec: { request, argv, cwd: execCwd(spec, cwd), env, timeoutMs: timeoutMs ?? null, tty: tty ?? null, output: output ?? null } };
}

export function outputMessage({ nonce }: OutputParams, request: unknown): HandOverMessage {
  return { type: 'exec_output', output: { request, nonce } };
}

export function attachMessage({ child }: AttachParams, request: unknown): HandOverMessage {
  return { type: 'attach', attach: { request, child } };
}
