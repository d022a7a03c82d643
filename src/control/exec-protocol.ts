import { z } from 'zod';
import { durationMs } from '../contract/durations.js';
import { CHILD_NAME_PATTERN, SESSION_ID_PATTERN } from '../contract/ids.js';

// The streaming methods that take over their connection (src/exec), spread into protocol.ts's PARAMS.

const sessionId = z.string().regex(SESSION_ID_PATTERN, `must be a session id matching ${SESSION_ID_PATTERN.source}`);
const noNul = (what: string) => z.string().refine((s) => !s.includes('\0'), { message: `${what} cannot hold a NUL byte` });

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
  }),
  attach: z.strictObject({
    id: sessionId,
    child: z.string().regex(CHILD_NAME_PATTERN, `must be a child name matching ${CHILD_NAME_PATTERN.source}`),
  }),
} as const;

/** The first reply on the connection; binary frames follow it (README, "Exec and attach frames"). */
export interface ExecResults {
  exec: { readonly pid: number | null };
  attach: { readonly child: string; readonly pid: number };
}
