import { connect, type Socket } from 'node:net';
import { SessiondError } from '../contract/errors.js';
import { LineSplitter } from './framing.js';
import { MAX_LINE_BYTES } from './line-limit.js';
import type { Reply, WireError } from './protocol.js';

// Replies (a long list, say) may be far larger than a request; this only bounds a broken daemon.
const MAX_REPLY_BYTES = 256 * 1024 * 1024;

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly partial?: ((result: unknown) => void) | undefined;
}

/** Where a client's requests go: a daemon's socket (Connection), or the cluster (cluster/cluster-client.ts). */
export interface RequestChannel {
  request(method: string, params: unknown, partial?: (result: unknown) => void): Promise<unknown>;
  close(): void;
  /** It can serve no more requests (the daemon closed it, or close() was called). */
  readonly closed: boolean;
}

/** One connection to the control socket; requests are matched to replies by id, so several may be in flight. */
export class Connection implements RequestChannel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closedError: SessiondError | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly path: string,
  ) {
    const lines = new LineSplitter(MAX_REPLY_BYTES);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const line of lines.push(chunk)) this.receive(line);
      } catch (error) {
        this.fail(new SessiondError('internal', `sessiond sent a reply that cannot be read on ${path}`, { cause: error }));
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.broken(error));
    socket.on('close', () => this.fail(new SessiondError('daemon_unavailable', `sessiond closed the connection on ${path} before replying`)));
  }

  /** Connects, or rejects with daemon_unavailable when nothing listens on `path`. */
  static open(path: string): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        resolve(new Connection(socket, path));
      });
      socket.once('error', (error) => reject(unavailable(path, error)));
    });
  }

  /** Sends one request; a streaming method's intermediate results go to `partial`. */
  request(method: string, params: unknown, partial?: (result: unknown) => void): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    const line = `${JSON.stringify({ id, method, params })}\n`;
    // The daemon would refuse the line and close the connection: say what is too big instead, and keep the connection.
    if (line.length * 3 > MAX_LINE_BYTES && Buffer.byteLength(line) > MAX_LINE_BYTES) return Promise.reject(tooLong(method, Buffer.byteLength(line)));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, partial });
      this.socket.write(line);
    });
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  close(): void {
    this.closedError ??= new SessiondError('daemon_unavailable', `connection to ${this.path} closed`);
    this.socket.destroy();
  }

  private receive(line: string): void {
    const reply = JSON.parse(line) as Reply;
    const pending = typeof reply.id === 'number' ? this.pending.get(reply.id) : undefined;
    if ('result' in reply && reply.more) return this.partial(reply.id as number, pending, reply.result);
    if (!pending) {
      // An error without an id is about the connection (a line too long): it fails every request.
      if ('error' in reply && reply.id === null) this.fail(fromWire(reply.error));
      return;
    }
    this.pending.delete(reply.id as number);
    if ('error' in reply) pending.reject(fromWire(reply.error));
    else pending.resolve(reply.result);
  }

  // A stream's handler is the caller's code: what it throws fails that stream's request with the
  // caller's own error (not one of sessiond's), and nothing else on the connection.
  private partial(id: number, pending: Pending | undefined, result: unknown): void {
    try {
      pending?.partial?.(result);
    } catch (error) {
      this.pending.delete(id);
      pending!.reject(error);
    }
  }

  // On a Unix socket, ECONNRESET says the daemon went with bytes of ours unread (or had not yet
  // accepted the connection), EPIPE that ours never reached it: when one request alone awaits its
  // reply (every earlier one was answered, so read whole), those bytes are its, and sessiond never
  // ran it. The SessionClient sends such a request again.
  private broken(cause: NodeJS.ErrnoException): void {
    const error = unavailable(this.path, cause);
    const [alone, ...others] = this.pending.values();
    if (alone && others.length === 0 && (cause.code === 'ECONNRESET' || cause.code === 'EPIPE')) {
      this.pending.clear();
      neverRead.add(error);
      alone.reject(error);
    }
    this.fail(error);
  }

  private fail(error: SessiondError): void {
    this.closedError ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

function fromWire(error: WireError): SessiondError {
  return new SessiondError(error.code, error.message);
}

function tooLong(method: string, bytes: number): SessiondError {
  const what = method === 'send' ? 'the message body must be smaller than 1 MiB' : 'give less in one request';
  return new SessiondError('invalid_params', `${method}: the request is ${bytes} bytes, over the control socket's limit of ${MAX_LINE_BYTES} bytes (1 MiB) for one request: ${what}`);
}

const neverRead = new WeakSet<object>();

/** Whether `error` failed a request that sessiond provably never read (Connection.broken): it may be sent again. */
export function wasNeverRead(error: unknown): boolean {
  return typeof error === 'object' && error !== null && neverRead.has(error);
}

export function unavailable(path: string, error: NodeJS.ErrnoException): SessiondError {
  const why = nothingThere(error) ? 'sessiond is not running' : `cannot reach sessiond (${error.code ?? error.message})`;
  return new SessiondError('daemon_unavailable', `${why}: no answer on ${path}`, { cause: error });
}

/**
 * `opening()`, and where it finds no daemon listening (none started yet, or one gone) and `start`
 * is given, `start()`, then `opening()` once more. No probe first: a running daemon (the usual
 * case) costs no round trip. SessionClient's connection and an exec's both open so.
 */
export async function openStarting<T>(opening: () => Promise<T>, start?: () => Promise<unknown>): Promise<T> {
  try {
    return await opening();
  } catch (error) {
    if (!start || !nothingListens(error)) throw error;
  }
  await start();
  return opening();
}

// Whether a connect failed because no daemon listens on the socket: one may be started then.
function nothingListens(error: unknown): boolean {
  return error instanceof SessiondError && error.code === 'daemon_unavailable' && nothingThere(error.cause as NodeJS.ErrnoException | undefined);
}

// ECONNRESET on connect: the socket's daemon was going as we connected (its last threads exiting).
function nothingThere(error: NodeJS.ErrnoException | undefined): boolean {
  return error?.code === 'ENOENT' || error?.code === 'ECONNREFUSED' || (error?.code === 'ECONNRESET' && error.syscall === 'connect');
}
