// The binary frames an exec or attach connection speaks once its first reply line is out.
// No imports: the supervisor's bundle and the CLI's fast path both load this.

/** Each frame: type (1 byte), stream (1 byte), payload length (4 bytes, big-endian), payload. */
export const HEADER_BYTES = 6;
/** No frame we write is larger (pipes give 64 KiB at most); a larger one is a broken peer. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

export const FRAME = {
  /** Bytes of `stream`: stdin from the client; stdout or stderr from the session. */
  data: 1,
  /** `stream` has ended: the client's stdin (the process's stdin is closed). */
  eof: 2,
  /** The client's terminal size (--tty): cols, rows as two 16-bit big-endian numbers. */
  resize: 3,
  /** The process has ended (and its output is all sent): JSON `{ code, signal, timedOut }`. The last frame. */
  exit: 4,
} as const;

export const STREAM = { stdin: 0, stdout: 1, stderr: 2 } as const;

export type FrameType = (typeof FRAME)[keyof typeof FRAME];
export type StreamId = (typeof STREAM)[keyof typeof STREAM];

export interface Frame {
  readonly type: number;
  readonly stream: number;
  readonly payload: Buffer;
}

/** How an exec ended, as the exit frame carries it. */
export interface ExecExit {
  /** The process's exit code; null when a signal ended it (127: not found). */
  readonly code: number | null;
  readonly signal: string | null;
  /** Its timeoutMs passed: it was sent SIGTERM (and SIGKILL 5 s later). */
  readonly timedOut: boolean;
}

export function frameHeader(type: FrameType, stream: StreamId, length: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header[0] = type;
  header[1] = stream;
  header.writeUInt32BE(length, 2);
  return header;
}

export function encodeFrame(type: FrameType, stream: StreamId, payload: Buffer = EMPTY): Buffer {
  return Buffer.concat([frameHeader(type, stream, payload.length), payload]);
}

export function resizeFrame(cols: number, rows: number): Buffer {
  const payload = Buffer.allocUnsafe(4);
  payload.writeUInt16BE(clamp16(cols), 0);
  payload.writeUInt16BE(clamp16(rows), 2);
  return encodeFrame(FRAME.resize, STREAM.stdin, payload);
}

export function readResize(payload: Buffer): { cols: number; rows: number } | null {
  if (payload.length !== 4) return null;
  const cols = payload.readUInt16BE(0);
  const rows = payload.readUInt16BE(2);
  return cols > 0 && rows > 0 ? { cols, rows } : null;
}

export class FrameError extends Error {}

/**
 * Cuts a byte stream into frames without copying data: a data frame's payload is handed on in the
 * pieces it arrives in (each a frame of the same type and stream), so bytes pass through untouched.
 * Other frames are small and come whole. It holds at most one header and one control frame, and
 * refuses a length past MAX_PAYLOAD_BYTES (FrameError): a broken peer cannot grow the reader.
 */
export class FrameDecoder {
  private head: Buffer = EMPTY;
  /** The frame being read: its header, and how many payload bytes are still to come. */
  private current: { type: number; stream: number; left: number; parts: Buffer[] } | null = null;

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let at = 0;
    while (at < chunk.length || (this.current?.left === 0)) {
      if (!this.current) {
        const need = HEADER_BYTES - this.head.length;
        const piece = chunk.subarray(at, at + need);
        at += piece.length;
        this.head = this.head.length ? Buffer.concat([this.head, piece]) : piece;
        if (this.head.length < HEADER_BYTES) break;
        const length = this.head.readUInt32BE(2);
        if (length > MAX_PAYLOAD_BYTES) throw new FrameError(`a frame of ${length} bytes is over the limit of ${MAX_PAYLOAD_BYTES}`);
        this.current = { type: this.head[0]!, stream: this.head[1]!, left: length, parts: [] };
        this.head = EMPTY;
      }
      const frame = this.current;
      const piece = chunk.subarray(at, at + frame.left);
      at += piece.length;
      frame.left -= piece.length;
      if (frame.type === FRAME.data) {
        if (piece.length) frames.push({ type: frame.type, stream: frame.stream, payload: piece });
      } else if (piece.length) frame.parts.push(Buffer.from(piece));
      if (frame.left > 0) break;
      if (frame.type !== FRAME.data) frames.push({ type: frame.type, stream: frame.stream, payload: Buffer.concat(frame.parts) });
      this.current = null;
    }
    // A copy of a partial header, so it does not pin the whole chunk it came in.
    if (this.head.length) this.head = Buffer.from(this.head);
    return frames;
  }
}

const EMPTY = Buffer.alloc(0);

function clamp16(n: number): number {
  return Math.max(1, Math.min(0xffff, Math.floor(n)));
}
