import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { errorMessage, SessiondError } from '../contract/errors.js';
import { dispatch, type Handlers } from './dispatch.js';
import { LineSplitter, LineTooLong } from './framing.js';
import { MAX_LINE_BYTES, type Reply } from './protocol.js';

/** Past this many bytes of replies the client has not taken, the daemon stops reading its requests. */
export const PAUSE_AT_UNREAD_BYTES = 1024 * 1024;
/** Requests of one connection handled at once; the next wait, unread, until one finishes. */
export const MAX_IN_FLIGHT = 32;
// Replies written while paused (those in flight, a stream's partials) still count: past this the client is cut off.
const MAX_BUFFERED_REPLY_BYTES = 16 * 1024 * 1024;

/**
 * One client of the control socket, with flow control: requests are read only while fewer
 * than MAX_IN_FLIGHT are pending and the client has taken its replies (less than
 * PAUSE_AT_UNREAD_BYTES unread), so a client that writes faster than it reads is slowed by
 * its own socket instead of growing the daemon's memory. Lines already read wait in `queued`
 * (at most one read's worth).
 */
export class ServedConnection {
  private readonly lines = new LineSplitter(MAX_LINE_BYTES);
  private readonly queued: string[] = [];
  private readonly abort = new AbortController();
  private inFlight = 0;
  private readEnded = false;
  private ending = false;
  /** Taken by an exec or attach: its bytes are no longer ours. */
  private detached = false;
  private whenSettled: (() => void) | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: Handlers,
    private readonly log: Logger,
  ) {
    // A vanished client is normal (EPIPE, ECONNRESET): its pending requests finish and their replies are dropped.
    socket.on('error', (error) => log.debug({ err: error }, 'control client error'));
    // Requests read but not begun are dropped with their client: nobody is left to answer.
    socket.on('close', () => {
      this.queued.length = 0;
      this.abort.abort();
    });
    socket.on('drain', () => this.pump());
    // The client may send its requests and end its side (`nc -N`): it still gets every reply.
    socket.on('end', () => {
      this.readEnded = true;
      this.pump();
    });
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  /** Stops reading, sends `farewell` (a connection-wide error) if given, and ends once the replies are out. */
  end(farewell?: SessiondError): Promise<void> {
    this.stopReading();
    if (this.socket.destroyed) return Promise.resolve();
    if (farewell) this.send({ id: null, error: farewell.toJSON() });
    return new Promise((resolve) => this.socket.end(resolve));
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    let received: readonly string[];
    let tooLong = false;
    try {
      received = this.lines.push(chunk);
    } catch (error) {
      if (!(error instanceof LineTooLong)) throw error;
      received = error.lines; // the requests before the long line still get their replies
      tooLong = true;
    }
    this.queued.push(...received.filter((line) => line.trim() !== ''));
    if (tooLong) this.refuseLongLine();
    this.pump();
  }

  // Dispatches what is queued while the client keeps up, then reads on, or pauses until a reply is taken or a request done.
  private pump(): void {
    while (this.queued.length && this.inFlight < MAX_IN_FLIGHT && this.socket.writableLength <= PAUSE_AT_UNREAD_BYTES) {
      this.inFlight += 1;
      const context = { send: (reply: Reply) => this.send(reply), unread: () => this.socket.writableLength, signal: this.abort.signal, log: this.log, takeConnection: () => this.take() };
      void dispatch(this.queued.shift()!, this.handlers, context)
        .catch((error: unknown) => this.log.error({ err: error, message: errorMessage(error) }, 'request dispatch failed'))
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
    if (!this.queued.length && this.inFlight === 0) this.whenSettled?.();
    if (this.ending) return;
    if (this.readEnded && !this.queued.length && this.inFlight === 0) {
      this.ending = true;
      this.socket.end();
    } else if (this.queued.length || this.inFlight >= MAX_IN_FLIGHT || this.socket.writableLength > PAUSE_AT_UNREAD_BYTES) this.socket.pause();
    else this.socket.resume();
  }

  // An exec or attach speaks frames on its own connection: the request must be the only thing on it
  // (the client sends nothing more until the first reply), so no byte read here belongs to anyone else.
  private take(): Socket {
    if (this.detached) throw new SessiondError('invalid_request', 'this connection is already taken by an exec or attach');
    if (this.queued.length || this.inFlight > 1 || this.lines.buffered > 0) {
      throw new SessiondError('invalid_request', 'exec and attach need a connection of their own: open one, send the request line alone, and send nothing more until its first reply');
    }
    this.detached = true;
    this.stopReading();
    return this.socket;
  }

  private send(reply: Reply): void {
    const { socket } = this;
    if (this.detached) return;
    if (socket.destroyed || !socket.writable) return;
    if (socket.writableLength > MAX_BUFFERED_REPLY_BYTES) {
      this.log.warn('control client does not read its replies: disconnecting it');
      socket.destroy();
      return;
    }
    socket.write(`${JSON.stringify(reply)}\n`);
    if (socket.writableLength > PAUSE_AT_UNREAD_BYTES) socket.pause();
  }

  // The lines before it are answered (1 s at most: a stream among them would never end), then the error, then the close.
  private refuseLongLine(): void {
    this.stopReading();
    const wire = new SessiondError('invalid_request', `request line exceeds ${MAX_LINE_BYTES} bytes (1 MiB); connection closed`);
    const timer = new AbortController();
    const settled = new Promise<void>((resolve) => (this.whenSettled = resolve));
    void Promise.race([settled, sleep(1000, undefined, { signal: timer.signal }).catch(() => undefined)]).then(() => {
      timer.abort();
      this.socket.end(`${JSON.stringify({ id: null, error: wire.toJSON() } satisfies Reply)}\n`, () => this.socket.destroy());
    });
  }

  private stopReading(): void {
    this.ending = true;
    this.socket.removeAllListeners('data');
    this.socket.pause();
  }
}
