import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { rotateFiles } from './rotate.js';

export interface LogRotation {
  readonly maxBytes: number;
  readonly files: number;
}

/** Where a child's log records go: its file (log-file.ts), or a relay to the daemon that writes it (an isolated session's). */
export interface LogSink {
  write(records: string): void;
  close(): void;
}

/** A child's log file, written in records (log-records.ts) and rotated past `maxBytes` to `.1` … `.N`. */
export class LogFile implements LogSink {
  private fd: number | null = null;
  private bytes = 0;

  constructor(
    private readonly path: string,
    private readonly rotation: LogRotation,
  ) {
    this.open();
  }

  write(records: string): void {
    const buffer = Buffer.from(records);
    if (this.bytes > 0 && this.bytes + buffer.length > this.rotation.maxBytes) this.rotate();
    if (this.fd === null) return;
    try {
      this.bytes += writeSync(this.fd, buffer);
    } catch {
      // A full disk loses output; it must not take the writer down with it.
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): void {
    this.fd = openSync(this.path, 'a', 0o600);
    this.bytes = statSync(this.path).size;
  }

  private rotate(): void {
    this.close();
    try {
      rotateFiles(this.path, this.rotation.files);
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
