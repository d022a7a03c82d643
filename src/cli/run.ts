import { errorMessage, SessiondError } from '../contract/errors.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { SessionClient } from '../control/client.js';
import { exposureWarnings, stateDirProblem } from './exposure.js';

/** The options every command takes. */
export interface GlobalArgs {
  readonly home?: string;
  readonly json?: boolean;
  /** `--cluster URL`, else $SESSIOND_CLUSTER: the command runs across that cluster. */
  readonly cluster?: string;
  readonly 'cluster-creds'?: string;
}

export { EXIT, exitCodeOf } from './exit-codes.js';

/** Prints `data` as JSON with --json, else the human text. */
export function print(args: GlobalArgs, data: unknown, human: () => string): void {
  process.stdout.write(args.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/**
 * Runs one command with a client of the daemon (started when down, unless `autoStart` is
 * false): errors go to stderr and set the exit code, and the connection is closed after.
 */
export async function run(args: GlobalArgs, body: (client: SessionClient) => Promise<number | void>, options: { autoStart?: boolean; local?: boolean } = {}): Promise<void> {
  const problem = stateDirProblem(args.home);
  if (problem) {
    process.stderr.write(`sessionctl: ${problem}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  // `daemon …` commands act on this host's daemon, whatever cluster is named.
  const cluster = options.local ? undefined : args.cluster || process.env.SESSIOND_CLUSTER || undefined;
  const clusterCreds = args['cluster-creds'] || process.env.SESSIOND_CLUSTER_CREDS || undefined;
  const onSlowStart = () => void process.stderr.write('starting sessiond…\n');
  const client = new SessionClient({ home: args.home, autoStart: !cluster && (options.autoStart ?? true), cluster, clusterCreds, onSlowStart });
  for (const warning of exposureWarnings(args.home)) process.stderr.write(`sessionctl: ${warning}\n`);
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
