import { describe, expect, it } from 'vitest';
import { encodeFrame, FRAME, FrameDecoder, FrameError, MAX_PAYLOAD_BYTES, readResize, resizeFrame, STREAM } from '../../src/exec/frames.js';

// Reassembles what the decoder gives: data pieces joined per stream, other frames as they are.
function decodeAll(bytes: Buffer, cut: number) {
  const decoder = new FrameDecoder();
  const out: { type: number; stream: number; payload: string }[] = [];
  for (let at = 0; at < bytes.length; at += cut) {
    for (const frame of decoder.push(bytes.subarray(at, at + cut))) {
      const last = out.at(-1);
      if (frame.type === FRAME.data && last?.type === FRAME.data && last.stream === frame.stream) last.payload += frame.payload.toString('latin1');
      else out.push({ type: frame.type, stream: frame.stream, payload: frame.payload.toString('latin1') });
    }
  }
  return out;
}

describe('exec frames', () => {
  const stream = Buffer.concat([
    encodeFrame(FRAME.data, STREAM.stdout, Buffer.from('hello ')),
    encodeFrame(FRAME.data, STREAM.stderr, Buffer.from('oops')),
    encodeFrame(FRAME.data, STREAM.stdout, Buffer.alloc(3000, 'x')),
    encodeFrame(FRAME.eof, STREAM.stdin),
    resizeFrame(120, 40),
    encodeFrame(FRAME.exit, STREAM.stdout, Buffer.from('{"code":0,"signal":null,"timedOut":false}')),
  ]);

  it.each([1, 2, 5, 6, 7, 64, 4096, stream.length])('decodes the same frames whatever the reads are cut into (%i bytes)', (cut) => {
    expect(decodeAll(stream, cut)).toEqual([
      { type: FRAME.data, stream: STREAM.stdout, payload: 'hello ' },
      { type: FRAME.data, stream: STREAM.stderr, payload: 'oops' },
      { type: FRAME.data, stream: STREAM.stdout, payload: 'x'.repeat(3000) },
      { type: FRAME.eof, stream: STREAM.stdin, payload: '' },
      { type: FRAME.resize, stream: STREAM.stdin, payload: resizeFrame(120, 40).subarray(6).toString('latin1') },
      { type: FRAME.exit, stream: STREAM.stdout, payload: '{"code":0,"signal":null,"timedOut":false}' },
    ]);
  });

  it('refuses a frame longer than the limit before reading its payload', () => {
    const header = encodeFrame(FRAME.data, STREAM.stdin).subarray(0, 6);
    header.writeUInt32BE(MAX_PAYLOAD_BYTES + 1, 2);
    expect(() => new FrameDecoder().push(header)).toThrow(FrameError);
  });

  it('reads a resize, and refuses a zero size', () => {
    expect(readResize(resizeFrame(80, 24).subarray(6))).toEqual({ cols: 80, rows: 24 });
    expect(readResize(Buffer.alloc(4))).toBeNull();
  });
});
