import { closeSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';

export const LOG_MAX_BYTES = 5 * 1024 * 1024;
const TAIL_LINES = 20;

/**
 * A child's captured stdout and stderr: appended to one file that rotates to `.1` past
 * LOG_MAX_BYTES, with the last lines kept in memory for crash events.
 */
export class ChildLog {
  private fd: number | null = null;
  private bytes = 0;
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly path: string | null,
    private readonly maxBytes = LOG_MAX_BYTES,
  ) {
    if (path) this.open();
  }

  attach(stream: Readable | null | undefined): void {
    stream?.on('data', (chunk: Buffer) => this.write(chunk));
    stream?.on('error', () => undefined);
  }

  /** The last lines the child printed, oldest first. */
  tail(): string[] {
    return this.partial ? [...this.lines, this.partial].slice(-TAIL_LINES) : [...this.lines];
  }

  /** A new run of the child starts with a clean tail. */
  resetTail(): void {
    this.lines.length = 0;
    this.partial = '';
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private write(chunk: Buffer): void {
    const parts = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = parts.pop()!.slice(-4096);
    for (const line of parts) this.lines.push(line);
    if (this.lines.length > TAIL_LINES) this.lines.splice(0, this.lines.length - TAIL_LINES);
    if (this.fd === null) return;
    if (this.bytes + chunk.length > this.maxBytes) this.rotate();
    this.bytes += writeSync(this.fd, chunk);
  }

  private open(): void {
    this.fd = openSync(this.path!, 'a', 0o600);
    this.bytes = statSync(this.path!).size;
  }

  private rotate(): void {
    this.close();
    renameSync(this.path!, `${this.path}.1`);
    this.open();
  }
}
