import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { encodeRecord, type LogStream } from './log-records.js';
import { rotateFiles } from './rotate.js';

/** A child's log rotates past this size (`sessiond --log-max-bytes`)... */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;
/** ... keeping this many rotated files, `.1` the newest (`sessiond --log-files`). */
export const LOG_FILES = 3;
/** Lines crash events carry; a start failure looks further back for the error's own line. */
const TAIL_LINES = 20;
const KEPT_LINES = 60;

export interface LogRotation {
  readonly maxBytes: number;
  readonly files: number;
}

/**
 * A child's captured stdout and stderr, in one file of records stamped as they are captured
 * (log-records.ts), rotated past `maxBytes` to `.1` … `.N`; its last lines are kept in memory
 * for crash events.
 */
export class ChildLog {
  private fd: number | null = null;
  private bytes = 0;
  private readonly lines: string[] = [];
  private readonly partial: Record<LogStream, string> = { out: '', err: '' };
  private readonly rotation: LogRotation;

  constructor(
    private readonly path: string | null,
    rotation: Partial<LogRotation> = {},
  ) {
    this.rotation = { maxBytes: rotation.maxBytes ?? LOG_MAX_BYTES, files: rotation.files ?? LOG_FILES };
    if (path) this.open();
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
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private write(text: string, stream: LogStream): void {
    if (text === '') return;
    const parts = text.split('\n');
    const rest = parts.pop()!;
    this.remember(parts, rest, stream);
    if (this.fd === null) return;
    const at = new Date().toISOString();
    let records = '';
    for (const part of parts) records += encodeRecord(at, stream, part, true);
    if (rest !== '') records += encodeRecord(at, stream, rest, false);
    const buffer = Buffer.from(records);
    if (this.bytes > 0 && this.bytes + buffer.length > this.rotation.maxBytes) this.rotate();
    if (this.fd === null) return;
    try {
      this.bytes += writeSync(this.fd, buffer);
    } catch {
      // A full disk loses output; it must not take the supervisor down with it.
    }
  }

  private remember(complete: readonly string[], rest: string, stream: LogStream): void {
    if (complete.length > 0) {
      this.lines.push(this.partial[stream] + complete[0], ...complete.slice(1));
      this.partial[stream] = '';
      if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
    }
    this.partial[stream] = (this.partial[stream] + rest).slice(-4096);
  }

  private open(): void {
    this.fd = openSync(this.path!, 'a', 0o600);
    this.bytes = statSync(this.path!).size;
  }

  private rotate(): void {
    this.close();
    try {
      rotateFiles(this.path!, this.rotation.files);
    } catch {
      // A folder we may no longer write to: go on appending to the file there is.
    }
    try {
      this.open();
    } catch {
      this.fd = null;
    }
  }
}
