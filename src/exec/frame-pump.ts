import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { FRAME, FrameDecoder, frameHeader, type Frame, type StreamId } from './frames.js';

/**
 * Sends what `source` gives as data frames of `stream`, and pauses it while the socket holds more
 * than its high-water mark: a slow reader at the other end slows the process, it never grows the
 * sender's memory. Resolves when the source has ended (or is destroyed).
 */
export function pumpOut(source: Readable, stream: StreamId, socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const resume = () => source.resume();
    source.on('data', (chunk: Buffer) => {
      if (socket.destroyed) return;
      socket.cork();
      socket.write(frameHeader(FRAME.data, stream, chunk.length));
      const roomLeft = socket.write(chunk);
      socket.uncork();
      if (!roomLeft) {
        source.pause();
        socket.once('drain', resume);
      }
    });
    source.once('close', () => {
      socket.off('drain', resume);
      resolve();
    });
    // A pipe's errors (EPIPE, the process gone) end its stream: nothing to report beyond the exit.
    source.on('error', () => undefined);
  });
}

/**
 * Reads frames from `socket` and hands each to `onFrame`; data for `sink` is written to it, and
 * the socket is paused while the sink is full, so a process that does not read its stdin slows the
 * client that writes it. A malformed stream of frames destroys the socket.
 */
export function pumpIn(socket: Socket, sink: Writable | null, onFrame: (frame: Frame) => void): void {
  const decoder = new FrameDecoder();
  const resume = () => socket.resume();
  sink?.on('error', () => undefined); // EPIPE: the process closed its stdin; the bytes are dropped
  socket.on('data', (chunk: Buffer) => {
    let frames: Frame[];
    try {
      frames = decoder.push(chunk);
    } catch {
      socket.destroy();
      return;
    }
    for (const frame of frames) {
      if (frame.type === FRAME.data && sink) {
        if (sink.writableEnded || sink.destroyed) continue;
        if (!sink.write(frame.payload)) {
          socket.pause();
          sink.once('drain', resume);
        }
      } else onFrame(frame);
    }
  });
}
