// The contract's exit codes, apart from run.ts so the exec fast path loads no client of the line protocol.
import { SessiondError, type ErrorCode } from '../contract/errors.js';

/** The contract's exit codes. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, notRunning: 4 } as const;

const EXIT_BY_CODE: Partial<Record<ErrorCode, number>> = {
  parse_error: EXIT.usage,
  invalid_request: EXIT.usage,
  invalid_params: EXIT.usage,
  not_found: EXIT.notFound,
  capacity: EXIT.failed,
  busy: EXIT.failed,
  // A request the session cannot take as it is (a child running, not running, without a channel, failing, slow): failed.
  running: EXIT.failed,
  not_running: EXIT.failed,
  not_supported: EXIT.failed,
  child_error: EXIT.failed,
  timeout: EXIT.failed,
};

export function exitCodeOf(error: unknown): number {
  return error instanceof SessiondError ? (EXIT_BY_CODE[error.code] ?? EXIT.failed) : EXIT.failed;
}
