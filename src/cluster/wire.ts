import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { NatsModule } from './nats.js';

// A request over NATS is the control socket's request line; each reply is the socket's reply
// line. A line past the server's max_payload (1 MiB by default: a long `list`) goes as several
// messages, each but the last marked with this header.
const PART = 'Sessiond-Part';
const HEADROOM = 4096;

/** Publishes one reply line to `subject`, in parts if it is too big for one message. */
export function publishLine(nats: NatsModule, nc: NatsConnection, subject: string, line: string): void {
  const limit = Math.max(HEADROOM, (nc.info?.max_payload ?? 1024 * 1024) - HEADROOM);
  const bytes = Buffer.from(line);
  if (bytes.length <= limit) return nc.publish(subject, bytes);
  for (let at = 0; at < bytes.length; at += limit) {
    const last = at + limit >= bytes.length;
    const headers = last ? undefined : nats.headers();
    headers?.set(PART, 'more');
    nc.publish(subject, bytes.subarray(at, at + limit), headers ? { headers } : {});
  }
}

/** Joins the parts of reply lines as they arrive: a whole line, or null while one is still coming. */
export class LineJoiner {
  private parts: Uint8Array[] = [];

  push(msg: Msg): string | null {
    if (msg.headers?.get(PART) === 'more') {
      this.parts.push(msg.data);
      return null;
    }
    if (!this.parts.length) return msg.string();
    const line = Buffer.concat([...this.parts, msg.data]).toString();
    this.parts = [];
    return line;
  }
}

/** Whether `msg` is the server's "no responders" status (503): nobody serves the subject. */
export function isNoResponders(msg: Msg): boolean {
  return msg.headers?.hasError === true && msg.headers.code === 503;
}
