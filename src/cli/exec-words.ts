import { SessiondError } from '../contract/errors.js';

/** Where the command runs: `--home DIR`, or `--cluster URL` and `--cluster-creds FILE`, as given (the environment's are read by the caller). */
interface Where {
  readonly home?: string;
  readonly cluster?: string;
  readonly clusterCreds?: string;
}

/** `exec` and `attach` as typed: parsed by hand, so running them loads no argument parser. */
export type StreamCommand = Where &
  ({ readonly command: 'exec'; readonly id: string; readonly argv: readonly string[]; readonly cwd?: string; readonly env: Readonly<Record<string, string>>; readonly timeoutMs?: number; readonly tty: boolean }
  | { readonly command: 'attach'; readonly id: string; readonly child: string });

/** The longest --timeout-ms: contract/durations.ts's MAX_DURATION_MS (365 days), not imported: that module loads zod. */
const MAX_TIMEOUT_MS = 365 * 86_400_000;

function usage(message: string): SessiondError {
  return new SessiondError('invalid_params', message);
}

/**
 * Reads `[--home DIR] [--cluster URL [--cluster-creds FILE]] exec ID [--cwd DIR] [--env K=V]… [--timeout-ms N] [--tty] [--] CMD [ARG…]`
 * or `[--home DIR] attach ID --child NAME`. Everything from CMD on is the command's, flags too.
 */
export function parseStreamCommand(words: readonly string[]): StreamCommand {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  let tty = false;
  let i = 0;
  const value = (name: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const next = words[++i];
    if (next === undefined) throw usage(`--${name} needs a value`);
    return next;
  };
  for (; i < words.length; i++) {
    const word = words[i]!;
    const command = positional[0];
    // Past `--`, or at the command's first word once the id is given, the rest is CMD's.
    if (word === '--') {
      i += 1;
      break;
    }
    if (command === 'exec' && positional.length === 2 && !word.startsWith('-')) break;
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const [name, inline] = splitFlag(word.slice(2));
    if (name === 'tty') tty = true;
    else if (name === 'json') continue; // global; these commands print the process's own output
    else if (['home', 'cwd', 'env', 'timeout-ms', 'child', 'cluster', 'cluster-creds'].includes(name)) flags.set(name, [...(flags.get(name) ?? []), value(name, inline)]);
    else throw usage(`unknown option --${name}`);
  }
  const [command, id, ...extra] = positional;
  const home = last(flags.get('home'));
  const cluster = last(flags.get('cluster'));
  const clusterCreds = last(flags.get('cluster-creds'));
  const where = { ...(home === undefined ? {} : { home }), ...(cluster === undefined ? {} : { cluster }), ...(clusterCreds === undefined ? {} : { clusterCreds }) };
  if (command !== 'exec' && command !== 'attach') throw usage('expected exec or attach');
  if (id === undefined) throw usage(`${command} needs a session id: sessionctl ${command} ID …`);
  if (command === 'attach') {
    const child = last(flags.get('child'));
    if (extra.length) throw usage(`attach takes no command (${extra.join(' ')}): it joins a running child`);
    if (child === undefined) throw usage('attach needs --child NAME: the child whose stdin is "pipe"');
    return { command, id, child, ...where };
  }
  const argv = words.slice(i);
  if (argv.length === 0) throw usage('exec needs a command: sessionctl exec ID [options] -- CMD [ARG…]');
  const timeout = last(flags.get('timeout-ms'));
  const timeoutMs = timeout === undefined ? undefined : Number(timeout);
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS)) {
    throw usage(`--timeout-ms takes a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (365 days), not ${timeout}`);
  }
  const env: Record<string, string> = {};
  for (const pair of flags.get('env') ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw usage(`--env takes NAME=VALUE, not ${JSON.stringify(pair)}`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const cwd = last(flags.get('cwd'));
  return { command, id, argv, env, tty, ...where, ...(cwd === undefined ? {} : { cwd }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
}

function splitFlag(flag: string): [string, string | undefined] {
  const eq = flag.indexOf('=');
  return eq === -1 ? [flag, undefined] : [flag.slice(0, eq), flag.slice(eq + 1)];
}

function last(values: readonly string[] | undefined): string | undefined {
  return values?.[values.length - 1];
}
