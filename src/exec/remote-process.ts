import { Readable, Writable, type Duplex } from 'node:stream';
import { SessiondError } from '../contract/errors.js';
import { onFrames, type ExecChannel } from './exec-channel.js';
import { encodeFrame, frameHeader, FRAME, resizeFrame, STREAM, type ExecExit, type Frame } from './frames.js';

const FRAME_BYTES = 64 * 1024;

/** A process running in a session, seen from the client: what SessionClient.spawn gives. */
export interface SessionProcess {
  /** Its pid (in the session's host), null when it could not start (wait() then says 127). */
  readonly pid: number | null;
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Empty on a tty: the terminal carries both streams on stdout. */
  readonly stderr: Readable;
  /** Resolves once it has ended and its output is all delivered. */
  wait(): Promise<ExecExit>;
  /** The terminal's new size (with a tty). */
  resize(cols: number, rows: number): void;
  /** Goes away as a caller may: the process gets SIGTERM, and SIGKILL 5 s later. */
  close(): void;
}

/**
 * Frames to streams on the client side, with flow control both ways: the socket is paused while
 * the app has not read stdout or stderr, so a slow reader slows the process; stdin's writes
 * complete only as the socket takes them. With an output connection (channel.output), stdout is
 * its raw bytes, paused the same way (the kernel's socket buffer then slows the process), and
 * wait() resolves once the exit has come and that connection has ended.
 */
export function remoteProcess(channel: ExecChannel, pid: number | null): SessionProcess {
  const { socket, output } = channel;
  const resume = () => socket.resume();
  const stdout = new Readable({ read: () => (output ?? socket).resume() });
  const stderr = new Readable({ read: resume });
  const stdin = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (socket.destroyed || chunk.length === 0) return callback();
      socket.cork();
      // Frames of 64 KiB at most, however large the write: the other end refuses a frame past 1 MiB.
      for (let at = 0; at < chunk.length; at += FRAME_BYTES) {
        const piece = chunk.subarray(at, at + FRAME_BYTES);
        socket.write(frameHeader(FRAME.data, STREAM.stdin, piece.length));
        socket.write(piece, at + FRAME_BYTES >= chunk.length ? () => callback() : undefined);
      }
      socket.uncork();
    },
    final(callback) {
      if (!socket.destroyed) socket.write(encodeFrame(FRAME.eof, STREAM.stdin));
      callback();
    },
  });
  stdin.on('error', () => undefined);
  const goAway = () => {
    socket.destroy();
    output?.destroy();
  };
  // A caller that destroyed all three streams has gone away, and its process goes as when its
  // connection is lost (SIGTERM, SIGKILL 5 s later); a destroyed reader's output is dropped.
  const streams = [stdin, stdout, stderr];
  for (const stream of streams) stream.once('close', () => streams.every((s) => s.destroyed) && goAway());
  const outputEnded = output ? rawOutput(output, stdout) : Promise.resolve();
  const exited = new Promise<ExecExit>((resolve, reject) => {
    let settled = false;
    // Once, whichever comes first: the streams the frames carry end (stderr, and stdout without an output connection).
    const settle = () => {
      if (settled) return false;
      settled = true;
      stderr.push(null);
      if (!output) stdout.push(null);
      return true;
    };
    // The exit frame is the last: every byte of stderr (and, without an output connection, of
    // stdout) came before it. Done then, not at the close that follows a round later.
    const ended = (exit: ExecExit) => {
      if (!settle()) return;
      socket.destroy();
      void outputEnded.then(() => resolve(exit));
    };
    onFrames(channel, (frame: Frame) => {
      if (frame.type === FRAME.data) {
        const target = frame.stream === STREAM.stderr ? stderr : stdout;
        if (!target.destroyed && !target.push(frame.payload)) socket.pause();
      } else if (frame.type === FRAME.exit) ended(JSON.parse(frame.payload.toString('utf8')) as ExecExit);
    });
    // A stream across the cluster ends with an error that says why (its node or the cluster gone).
    let why: SessiondError | null = null;
    socket.on('error', (error) => void (error instanceof SessiondError && (why ??= error)));
    const lost = () => {
      if (!settle()) return;
      output?.destroy(); // the process is being stopped: what it writes now is no one's
      reject(why ?? new SessiondError('daemon_unavailable', 'the connection to the session closed before the process ended'));
    };
    // Lost (nothing buffered: it ends, and closes, paused) while its output connection's reply was awaited.
    if (socket.closed) lost();
    else socket.once('close', lost);
  });
  exited.catch(() => undefined);
  return {
    pid,
    stdin,
    stdout,
    stderr,
    wait: () => exited,
    resize: (cols, rows) => void (socket.destroyed || socket.write(resizeFrame(cols, rows))),
    close: goAway,
  };
}

// The output connection's bytes into stdout, read while stdout is; once stdout is destroyed, read
// on and dropped, so the process runs on. Resolves at its end (its EOF: every byte is in stdout),
// or its close when it is lost.
function rawOutput(output: Duplex, stdout: Readable): Promise<void> {
  // Ended already, while the exec's reply was awaited: a socket at EOF with nothing buffered
  // emits 'end' (and closes) paused. A process that wrote nothing and exited at once does that.
  if (output.readableEnded || output.destroyed) {
    stdout.push(null);
    return Promise.resolve();
  }
  output.on('data', (chunk: Buffer) => {
    if (!stdout.destroyed && !stdout.push(chunk)) output.pause();
  });
  output.on('error', () => undefined);
  stdout.once('close', () => output.resume());
  output.resume();
  return new Promise((resolve) => {
    const ended = () => {
      stdout.push(null);
      resolve();
    };
    output.once('end', ended);
    output.once('close', () => output.readableEnded || ended());
  });
}
