import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { LogFile, type LogRotation, type LogSink } from './log-file.js';
import { encodeRecord, type LogStream } from './log-records.js';

export type { LogRotation, LogSink } from './log-file.js';

/** A child's log rotates past this size (`sessiond --log-max-bytes`)... */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;
/** ... keeping this many rotated files, `.1` the newest (`sessiond --log-files`). */
export const LOG_FILES = 3;
/** Lines crash events carry; a start failure looks further back for the error's own line. */
const TAIL_LINES = 20;
const KEPT_LINES = 60;

/**
 * A child's captured stdout and stderr, in records stamped as they are captured (log-records.ts),
 * written to its file (log-file.ts: rotated past `maxBytes` to `.1` … `.N`) or to a sink that
 * relays them to the daemon; its last lines are kept in memory for crash events.
 */
export class ChildLog {
  private readonly sink: LogSink | null;
  private readonly lines: string[] = [];
  private readonly partial: Record<LogStream, string> = { out: '', err: '' };

  constructor(target: string | LogSink | null, rotation: Partial<LogRotation> = {}) {
    this.sink = typeof target === 'string' ? new LogFile(target, { maxBytes: rotation.maxBytes ?? LOG_MAX_BYTES, files: rotation.files ?? LOG_FILES }) : target;
  }

  attach(stream: Readable | null | undefined, which: LogStream): void {
    if (!stream) return;
    // One decoder a stream: a character split between two chunks is written whole, once.
    const decoder = new StringDecoder('utf8');
    stream.on('data', (chunk: Buffer) => this.write(decoder.write(chunk), which));
    stream.on('end', () => this.write(decoder.end(), which));
    stream.on('error', () => undefined);
  }

  /** The last lines the child printed, oldest first (default: as many as a crash event carries). */
  tail(count = TAIL_LINES): string[] {
    const partials = [this.partial.out, this.partial.err].filter((p) => p !== '');
    return [...this.lines, ...partials].slice(-count);
  }

  /** A new run of the child starts with a clean tail. */
  resetTail(): void {
    this.lines.length = 0;
    this.partial.out = this.partial.err = '';
  }

  close(): void {
    this.sink?.close();
  }

  private write(text: string, stream: LogStream): void {
    if (text === '') return;
    const parts = text.split('\n');
    const rest = parts.pop()!;
    this.remember(parts, rest, stream);
    if (this.sink === null) return;
    const at = new Date().toISOString();
    let records = '';
    for (const part of parts) records += encodeRecord(at, stream, part, true);
    if (rest !== '') records += encodeRecord(at, stream, rest, false);
    this.sink.write(records);
  }

  private remember(complete: readonly string[], rest: string, stream: LogStream): void {
    if (complete.length > 0) {
      this.lines.push(this.partial[stream] + complete[0], ...complete.slice(1));
      this.partial[stream] = '';
      if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
    }
    this.partial[stream] = (this.partial[stream] + rest).slice(-4096);
  }
}
