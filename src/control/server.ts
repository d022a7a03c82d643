import { chmodSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { errorMessage, SessiondError } from '../contract/errors.js';
import { LineSplitter, LineTooLong } from './framing.js';
import { dispatch, type Handlers } from './dispatch.js';
import { MAX_LINE_BYTES, type Reply } from './protocol.js';

// A client that stops reading while replies pile up is cut off rather than held in memory.
const MAX_BUFFERED_REPLY_BYTES = 16 * 1024 * 1024;

/** The control socket: newline-delimited JSON requests in, one reply line (or several, for streams) out. */
export class ControlServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly handlers: Handlers,
    private readonly log: Logger,
  ) {
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('error', (error) => this.log.error({ err: error }, 'control socket error'));
  }

  /** Binds `path` with mode 0600. The caller holds the instance lock, so a leftover socket file is stale. */
  async listen(path: string): Promise<void> {
    rmSync(path, { force: true });
    // bind() creates the socket file through the umask: make it 0600 from its first moment.
    const umask = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(path, () => {
          this.server.off('error', reject);
          resolve();
        });
      });
    } finally {
      process.umask(umask);
    }
    chmodSync(path, 0o600);
  }

  /** Stops accepting, ends every connection once its replies are written (1 s at most), removes the socket file. */
  async close(path: string): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const ended = [...this.sockets].map((socket) => new Promise<void>((resolve) => socket.end(resolve)));
    const timer = new AbortController();
    await Promise.race([Promise.all(ended), sleep(1000, undefined, { signal: timer.signal }).catch(() => undefined)]);
    timer.abort();
    for (const socket of this.sockets) socket.destroy();
    await closed;
    rmSync(path, { force: true });
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const lines = new LineSplitter(MAX_LINE_BYTES);
    const abort = new AbortController();
    // A vanished client is normal (EPIPE, ECONNRESET): its pending requests finish and their replies are dropped.
    socket.on('error', (error) => this.log.debug({ err: error }, 'control client error'));
    socket.on('close', () => {
      this.sockets.delete(socket);
      abort.abort();
    });
    const send = (reply: Reply): void => {
      if (socket.destroyed || !socket.writable) return;
      if (socket.writableLength > MAX_BUFFERED_REPLY_BYTES) {
        this.log.warn('control client does not read its replies: disconnecting it');
        socket.destroy();
        return;
      }
      socket.write(`${JSON.stringify(reply)}\n`);
    };
    socket.on('data', (chunk: Buffer) => {
      let received: readonly string[];
      let tooLong = false;
      try {
        received = lines.push(chunk);
      } catch (error) {
        if (!(error instanceof LineTooLong)) throw error;
        received = error.lines; // the requests before the long line still get their replies
        tooLong = true;
        socket.removeAllListeners('data');
      }
      const handled = received
        .filter((line) => line.trim() !== '')
        .map((line) =>
          dispatch(line, this.handlers, { send, unread: () => socket.writableLength, signal: abort.signal, log: this.log }).catch((error: unknown) =>
            this.log.error({ err: error, message: errorMessage(error) }, 'request dispatch failed'),
          ),
        );
      if (!tooLong) return;
      const wire = new SessiondError('invalid_request', `request line exceeds ${MAX_LINE_BYTES} bytes (1 MiB); connection closed`).toJSON();
      const timer = new AbortController(); // a stream among them would never end: 1 s at most
      void Promise.race([Promise.all(handled), sleep(1000, undefined, { signal: timer.signal }).catch(() => undefined)]).then(() => {
        timer.abort();
        socket.end(`${JSON.stringify({ id: null, error: wire } satisfies Reply)}\n`, () => socket.destroy());
      });
    });
  }
}
