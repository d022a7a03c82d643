import { Duplex } from 'node:stream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';

/** Bytes a sender may have sent and not had acknowledged: a slow reader stops the writer there. */
export const WINDOW_BYTES = 1024 * 1024;
const ACK_EVERY_BYTES = WINDOW_BYTES / 4;
const MESSAGE_BYTES = 64 * 1024;
/** Each end asks the other this often whether it is still there; no answer in PING_TIMEOUT_MS ends the stream. */
const PING_EVERY_MS = 1000;
const PING_TIMEOUT_MS = 2000;

/** The first byte of every message of a stream. */
export const KIND = { data: 0, ack: 1, end: 2, reset: 3, ping: 4, open: 5 } as const;

export function message(kind: number, payload: Uint8Array = EMPTY): Buffer {
  const out = Buffer.allocUnsafe(1 + payload.length);
  out[0] = kind;
  out.set(payload, 1);
  return out;
}

/**
 * One end of a byte stream over NATS: what it writes goes to `peer`, what it reads comes to its
 * own subscription. Credit both ways (at most WINDOW_BYTES unacknowledged; the reader acknowledges
 * what its consumer has taken), so neither end grows; each end pings the other every second and
 * ends the stream when the other is gone (no responders, or no answer: a crash, a lost connection).
 * A peer that sends past its credit or garbage is cut off, never trusted.
 */
export class NatsPipe extends Duplex {
  private sent = 0;
  private acked = 0;
  private unacked = 0;
  private waiting: (() => void) | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subscription: Subscription,
    private readonly peer: string,
    /** The error the stream ends with when the other end stops answering (what a caller is told). */
    private readonly gone: (cause: unknown) => Error = () => new Error('the other end of the stream is gone'),
  ) {
    super({ allowHalfOpen: false });
    this.timer = setInterval(() => void this.ping(), PING_EVERY_MS);
  }

  /** Feeds one message of the subscription (the caller routes them here). */
  receive(msg: Msg): void {
    const data = msg.data;
    if (data.length === 0 || this.destroyed) return;
    const body = Buffer.from(data.buffer, data.byteOffset + 1, data.length - 1);
    switch (data[0]) {
      case KIND.data:
        this.unacked += body.length;
        if (this.unacked > 2 * WINDOW_BYTES) return void this.destroy(new Error('the other end sent past its credit'));
        if (this.push(body)) this.maybeAck();
        return;
      case KIND.ack:
        if (body.length !== 4) return;
        this.acked += body.readUInt32BE(0);
        if (this.sent - this.acked < WINDOW_BYTES && this.waiting) {
          const go = this.waiting;
          this.waiting = null;
          go();
        }
        return;
      case KIND.end:
        // The other end has said all it will: it may go now, unasked after.
        clearInterval(this.timer);
        return void this.push(null);
      case KIND.reset:
        return void this.destroy();
      case KIND.ping:
        if (msg.reply) msg.respond(EMPTY);
        return;
    }
  }

  override _read(): void {
    this.maybeAck(true);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    for (let at = 0; at < chunk.length; at += MESSAGE_BYTES) this.publish(KIND.data, chunk.subarray(at, at + MESSAGE_BYTES));
    this.sent += chunk.length;
    if (this.sent - this.acked < WINDOW_BYTES) callback();
    else this.waiting = () => callback();
  }

  override _final(callback: () => void): void {
    this.publish(KIND.end);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearInterval(this.timer);
    // After our end, the other end finishes by itself (a reset would cut off what it has not read yet).
    if (!this.writableEnded) this.publish(KIND.reset);
    this.subscription.unsubscribe();
    this.waiting = null;
    callback(error);
  }

  private maybeAck(reading = false): void {
    if (this.unacked === 0 || (!reading && this.unacked < ACK_EVERY_BYTES)) return;
    const payload = Buffer.allocUnsafe(4);
    payload.writeUInt32BE(this.unacked, 0);
    this.unacked = 0;
    this.publish(KIND.ack, payload);
  }

  private publish(kind: number, payload?: Uint8Array): void {
    if (this.nc.isClosed()) return;
    try {
      this.nc.publish(this.peer, message(kind, payload));
    } catch {
      this.destroy();
    }
  }

  private async ping(): Promise<void> {
    try {
      await this.nc.request(this.peer, message(KIND.ping), { timeout: PING_TIMEOUT_MS });
    } catch (error) {
      this.destroy(this.gone(error));
    }
  }
}

const EMPTY = new Uint8Array(0);
