import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SessiondError, type ErrorCode } from '../contract/errors.js';
import { unavailable } from '../control/connection.js';
import { MAX_LINE_BYTES } from '../control/line-limit.js';
import { FrameDecoder, type Frame } from './frames.js';

/**
 * The client's end of one exec or attach: a connection of its own, the request line, its first
 * reply (JSON, as on every connection), then frames. Nothing is sent after the request line until
 * that reply: the daemon hands the connection over with nothing of the client's unread.
 */
export interface ExecChannel {
  /** The frames' byte stream, paused: a local connection, or a stream over the cluster (cluster/nats-pipe.ts). */
  readonly socket: Duplex;
  readonly result: unknown;
  /** The exec's stdout, raw and paused, when it has an output connection (direct-output.ts); its frames then carry no stdout. */
  readonly output?: Duplex;
}

/** The methods whose connection carries a stream after the first reply. */
export type StreamMethod = 'exec' | 'exec-output' | 'attach';

/** Frames from the channel's stream from here on; a malformed stream destroys it. */
export function onFrames(channel: ExecChannel, listener: (frame: Frame) => void): void {
  const { socket } = channel;
  const decoder = new FrameDecoder();
  socket.on('data', (bytes: Buffer) => {
    try {
      for (const frame of decoder.push(bytes)) listener(frame);
    } catch {
      socket.destroy();
    }
  });
  socket.resume();
}

export function openChannel(path: string, method: 'exec' | 'attach', params: unknown): Promise<ExecChannel> {
  return requestStream(path, method, params).reply;
}

/** A connection of its own to the daemon at `path` with one request on it: the socket (to destroy early), and its first reply. */
export function requestStream(path: string, method: StreamMethod, params: unknown): { readonly socket: Socket; readonly reply: Promise<ExecChannel> } {
  const socket = connect(path);
  socket.once('connect', () => socket.write(`${JSON.stringify({ id: 1, method, params })}\n`));
  const reply = firstReply(socket, method, {
    failed: (error) => unavailable(path, error as NodeJS.ErrnoException),
    closed: () => new SessiondError('daemon_unavailable', `sessiond closed the ${method} connection on ${path} before replying`),
  });
  return { socket, reply };
}

/** How a connection that ends before its first reply fails, as its caller words it. */
export interface LostReply {
  failed(error: Error): SessiondError;
  closed(): SessiondError;
}

/** Reads the first reply line of an exec or attach connection: the channel its frames follow on, or the error it names. */
export function firstReply(socket: Socket, method: StreamMethod, lost: LostReply): Promise<ExecChannel> {
  return new Promise((resolve, reject) => {
    let head: Buffer = Buffer.alloc(0);
    let settled = false;
    const fail = (error: SessiondError) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(error);
    };
    socket.on('error', (error) => fail(lost.failed(error)));
    socket.once('close', () => fail(lost.closed()));
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const nl = head.indexOf(0x0a);
      if (nl === -1) {
        if (head.length > MAX_LINE_BYTES) fail(new SessiondError('internal', `sessiond sent a ${method} reply that cannot be read`));
        return;
      }
      socket.off('data', onHead);
      socket.pause();
      let reply: { result?: unknown; error?: { code: ErrorCode; message: string } };
      try {
        reply = JSON.parse(head.subarray(0, nl).toString('utf8')) as typeof reply;
      } catch {
        return fail(new SessiondError('internal', `sessiond sent a ${method} reply that is not JSON`));
      }
      if (reply.error) return fail(new SessiondError(reply.error.code, reply.error.message));
      settled = true;
      socket.removeAllListeners('close');
      const rest = head.subarray(nl + 1);
      if (rest.length) socket.unshift(rest);
      resolve({ socket, result: reply.result });
    };
    socket.on('data', onHead);
  });
}
