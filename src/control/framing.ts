/** Thrown by LineSplitter when a line grows past its limit; `lines` are the complete ones before it. */
export class LineTooLong extends Error {
  constructor(
    readonly limit: number,
    readonly lines: readonly string[] = [],
  ) {
    super(`request line exceeds ${limit} bytes`);
  }
}

/**
 * Splits a byte stream into newline-terminated lines, holding at most `limit` bytes of an
 * unfinished line: a client that never sends a newline cannot grow the daemon's memory.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly limit: number) {}

  /** Bytes held of an unfinished line. */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** The complete lines in `chunk` (with what was pending before it); throws LineTooLong. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      if (this.pendingBytes + piece.length > this.limit) throw new LineTooLong(this.limit, lines);
      lines.push(Buffer.concat([...this.pending, piece]).toString('utf8'));
      this.pending = [];
      this.pendingBytes = 0;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (this.pendingBytes + rest.length > this.limit) throw new LineTooLong(this.limit, lines);
    if (rest.length) {
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
    return lines;
  }
}
