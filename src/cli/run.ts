import { errorMessage, SessiondError, type ErrorCode } from '../contract/errors.js';
import { SessionClient } from '../control/client.js';

/** The options every command takes. */
export interface GlobalArgs {
  readonly home?: string;
  readonly json?: boolean;
}

/** The contract's exit codes. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, notRunning: 4 } as const;

const EXIT_BY_CODE: Partial<Record<ErrorCode, number>> = {
  parse_error: EXIT.usage,
  invalid_request: EXIT.usage,
  invalid_params: EXIT.usage,
  not_found: EXIT.notFound,
  capacity: EXIT.failed,
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

/** Prints `data` as JSON with --json, else the human text. */
export function print(args: GlobalArgs, data: unknown, human: () => string): void {
  process.stdout.write(args.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/**
 * Runs one command with a client of the daemon (started when down, unless `autoStart` is
 * false): errors go to stderr and set the exit code, and the connection is closed after.
 */
export async function run(args: GlobalArgs, body: (client: SessionClient) => Promise<number | void>, options: { autoStart?: boolean } = {}): Promise<void> {
  const onSlowStart = () => void process.stderr.write('starting sessiond…\n');
  const client = new SessionClient({ home: args.home, autoStart: options.autoStart ?? true, onSlowStart });
  try {
    process.exitCode = (await body(client)) ?? EXIT.ok;
  } catch (error) {
    process.stderr.write(`sessionctl: ${errorMessage(error)}${hint(error)}\n`);
    process.exitCode = exitCodeOf(error);
  } finally {
    client.close();
  }
}

// The library's messages name no command; at the command line, say which one helps.
function hint(error: unknown): string {
  if (error instanceof SessiondError && error.code === 'not_found' && /^session \S+ not found$/.test(error.message)) return " (see 'sessionctl list --all')";
  return '';
}
