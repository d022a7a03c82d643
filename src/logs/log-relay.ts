import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import type { LogSink } from './log-file.js';

/**
 * An isolated session's supervisor cannot open its children's logs (they are in the daemon's
 * 0700 state dir, and must stay out of the session's reach), so it relays their records over a
 * pipe and the daemon writes them. One line a record: `<child name> <record>` (a record is one
 * line of log-records.ts; a child's name has no blank).
 */

/** The supervisor's end: one pipe (an inherited fd) for every child's log. */
export function relayOn(fd: number): (child: string) => LogSink {
  const pipe = new Socket({ fd, readable: false, writable: true });
  pipe.on('error', () => undefined); // the daemon went: the supervisor learns it from its channel
  pipe.unref();
  return (child) => relaySink(pipe, child);
}

export function relaySink(pipe: Writable, child: string): LogSink {
  return {
    write: (records) => {
      const lines = records.split('\n');
      lines.pop(); // records end with a newline
      pipe.write(lines.map((line) => `${child} ${line}\n`).join(''));
    },
    close: () => undefined,
  };
}
