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
 * Cuts a byte stream into frames. It holds at most one frame's worth (MAX_PAYLOAD_BYTES): a peer
 * that sends a larger length is refused (FrameError), so it cannot grow the reader's memory.
 */
export class FrameDecoder {
  private pending: Buffer = EMPTY;

  push(chunk: Buffer): Frame[] {
    let buffer = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    while (buffer.length >= HEADER_BYTES) {
      const length = buffer.readUInt32BE(2);
      if (length > MAX_PAYLOAD_BYTES) throw new FrameError(`a frame of ${length} bytes is over the limit of ${MAX_PAYLOAD_BYTES}`);
      if (buffer.length < HEADER_BYTES + length) break;
      frames.push({ type: buffer[0]!, stream: buffer[1]!, payload: buffer.subarray(HEADER_BYTES, HEADER_BYTES + length) });
      buffer = buffer.subarray(HEADER_BYTES + length);
    }
    // A copy, so a small leftover does not pin the whole chunk it came in.
    this.pending = buffer.length ? Buffer.from(buffer) : EMPTY;
    return frames;
  }
}

const EMPTY = Buffer.alloc(0);

function clamp16(n: number): number {
  return Math.max(1, Math.min(0xffff, Math.floor(n)));
}
