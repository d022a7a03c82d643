// `sessionctl exec` and `sessionctl attach`: the CLI's fast path. It loads no argument parser, no
// zod and no other command: an agent may run one per tool call (scripts/bundle.mjs splits it off).
import type { Readable, Writable } from 'node:stream';
import { errorMessage } from '../contract/errors.js';
import { statePaths } from '../contract/paths.js';
import { signalNumber } from '../contract/signals.js';
import { attachTo, localChannels, spawnIn, type ChannelTarget } from '../exec/client-exec.js';
import type { ExecExit } from '../exec/frames.js';
import { parseStreamCommand, type StreamCommand } from './exec-words.js';
import { joinStdin } from './caller-stdin.js';
import { rawTerminal, terminalSize } from './raw-terminal.js';
import { exitCodeOf } from './exit-codes.js';

/** The exit code of `sessionctl exec`: CMD's; 128+N after signal N; 124 after --timeout-ms. */
export function execExitCode(exit: ExecExit): number {
  if (exit.timedOut) return 124;
  if (exit.signal !== null) return 128 + (signalNumber(exit.signal) ?? 0);
  return exit.code ?? 1;
}

export async function runStreamCommand(words: readonly string[]): Promise<number> {
  let command: StreamCommand;
  try {
    command = parseStreamCommand(words);
  } catch (error) {
    process.stderr.write(`sessionctl: ${errorMessage(error)}\nRun 'sessionctl --help' for usage.\n`);
    return 2;
  }
  const paths = statePaths(command.home);
  const cluster = command.cluster || process.env.SESSIOND_CLUSTER || undefined;
  let close = () => undefined as void;
  try {
    let target: ChannelTarget;
    if (cluster) {
      // The NATS client loads only here: a local exec pays nothing for the cluster.
      const { ClusterClient } = await import('../cluster/cluster-client.js');
      const client = await ClusterClient.open({ url: cluster, credsFile: command.clusterCreds || process.env.SESSIOND_CLUSTER_CREDS || undefined });
      close = () => client.close();
      target = { open: (method, params) => client.openChannel(method, params as { id: string }) };
    } else target = localChannels(paths.socket, async () => (await import('../control/autostart.js')).ensureDaemon(paths));
    return command.command === 'exec' ? await exec(target, command) : await attach(target, command);
  } catch (error) {
    process.stderr.write(`sessionctl: ${errorMessage(error)}\n`);
    return exitCodeOf(error);
  } finally {
    close();
  }
}

async function exec(target: ChannelTarget, command: Extract<StreamCommand, { command: 'exec' }>): Promise<number> {
  const { id, argv, cwd, env, timeoutMs, tty } = command;
  const left = onLeave();
  const proc = await spawnIn(target, id, argv, { env, ...(cwd === undefined ? {} : { cwd }), ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(tty ? { tty: terminalSize() } : {}) });
  left.closeWith(() => proc.close());
  const restore = tty ? rawTerminal() : () => undefined;
  const release = joinStdin(proc.stdin);
  try {
    if (tty) process.on('SIGWINCH', () => proc.resize(terminalSize().cols, terminalSize().rows));
    forward(proc.stdout, () => process.stdout);
    forward(proc.stderr, () => process.stderr);
    // Its output all written to ours before the exit code: the streams end after the last frame.
    const [exit] = await Promise.all([proc.wait(), ended(proc.stdout), ended(proc.stderr)]);
    return left.code() ?? execExitCode(exit);
  } catch (error) {
    const code = left.code();
    if (code === undefined) throw error;
    return code;
  } finally {
    restore();
    release();
  }
}

async function attach(target: ChannelTarget, command: Extract<StreamCommand, { command: 'attach' }>): Promise<number> {
  const left = onLeave();
  const stream = await attachTo(target, command.id, command.child);
  left.closeWith(() => stream.destroy());
  const release = joinStdin(stream);
  forward(stream, () => process.stdout);
  await new Promise<void>((resolve) => stream.once('close', resolve).once('end', resolve));
  release();
  return left.code() ?? 0;
}

/**
 * Ctrl-C, SIGTERM or a hang-up of the client: the caller goes, and takes its exec (or attachment)
 * with it. `code()` is then 128+N for signal N, as a shell reports a command it interrupted. Before
 * the exec is under way (`closeWith` not called yet) the client exits at once: its connection closing
 * is a caller gone, as for a SIGKILL.
 */
function onLeave(): { closeWith(leave: () => void): void; code(): number | undefined } {
  let signal: NodeJS.Signals | undefined;
  let leave: (() => void) | undefined;
  const code = () => (signal === undefined ? undefined : 128 + (signalNumber(signal) ?? 0));
  const handle = (received: NodeJS.Signals) => {
    signal ??= received;
    if (leave) leave();
    else process.exit(code());
  };
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(name, handle);
  return { closeWith: (fn) => { leave = fn; }, code };
}

// Its end (or close): node:stream/promises' finished() without its modules; wait() reports what failed.
function ended(stream: Readable): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => stream.once('end', resolve).once('close', resolve));
}

// Piped to `to` from its first byte: process.stdout and process.stderr are made when first read
// (~1.5 ms of an exec's start-up), and a command that writes nothing never needs them.
function forward(from: Readable, to: () => Writable): void {
  from.once('data', (chunk: Buffer) => {
    const target = to();
    target.write(chunk);
    from.pipe(target);
  });
}
