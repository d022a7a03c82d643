import { Duplex } from 'node:stream';
import { openStarting } from '../control/connection.js';
import { openDirect } from './direct-output.js';
import { openChannel, type ExecChannel } from './exec-channel.js';
import type { ExecExit } from './frames.js';
import { remoteProcess, type SessionProcess } from './remote-process.js';

export interface SpawnOptions {
  /** Relative to the session's cwd (its first child's); default: the session's cwd. */
  readonly cwd?: string;
  /** Laid over the environment of the session's children. */
  readonly env?: Readonly<Record<string, string>>;
  /** SIGTERM to its tree after this long (then SIGKILL 5 s later); `timedOut` says so. */
  readonly timeoutMs?: number;
  /** A pseudo-terminal of this size instead of pipes. */
  readonly tty?: { readonly cols: number; readonly rows: number };
}

export interface ExecOptions extends Omit<SpawnOptions, 'tty'> {
  /** Its stdin (closed after); none: stdin is closed at once. */
  readonly input?: string | Buffer;
}

export interface ExecResult extends ExecExit {
  readonly stdout: string;
  readonly stderr: string;
}

/** Where a client opens an exec or attach: a daemon's socket (localChannels), or a session's node across the cluster. */
export interface ChannelTarget {
  open(method: 'exec' | 'attach', params: unknown): Promise<ExecChannel>;
}

/**
 * A connection of its own to the daemon at `path` (an exec without a tty: two, its stdout on the
 * second, direct-output.ts); `start` starts the daemon when nothing answers there.
 */
export function localChannels(path: string, start?: () => Promise<unknown>): ChannelTarget {
  return {
    open: (method, params) =>
      openStarting(() => (method === 'exec' && !(params as SpawnOptions).tty ? openDirect(path, params as { id: string }) : openChannel(path, method, params)), start),
  };
}

export async function spawnIn(target: ChannelTarget, id: string, argv: readonly string[], options: SpawnOptions = {}): Promise<SessionProcess> {
  const channel = await target.open('exec', { id, argv, ...options });
  return remoteProcess(channel, (channel.result as { pid: number | null } | undefined)?.pid ?? null);
}

export async function execIn(target: ChannelTarget, id: string, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const { input, ...spawnOptions } = options;
  const proc = await spawnIn(target, id, argv, spawnOptions);
  proc.stdin.end(input);
  const [stdout, stderr, exit] = await Promise.all([text(proc.stdout), text(proc.stderr), proc.wait()]);
  return { ...exit, stdout, stderr };
}

/** A duplex stream joined to a child's stdin and stdout; ending or destroying it detaches, leaving the child running. */
export async function attachTo(target: ChannelTarget, id: string, child: string): Promise<Duplex> {
  const channel = await target.open('attach', { id, child });
  const proc = remoteProcess(channel, (channel.result as { pid: number } | undefined)?.pid ?? null);
  proc.wait().catch(() => undefined);
  const duplex = Duplex.from({ writable: proc.stdin, readable: proc.stdout });
  // Duplex.from answers destroy() with an AbortError, on itself and both sides: a caller that
  // destroys it has only detached (and its errors are that alone: the socket's never reach it).
  for (const stream of [duplex, proc.stdout]) stream.on('error', () => undefined);
  duplex.once('close', () => proc.close());
  return duplex;
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
