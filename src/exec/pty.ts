// An exec on a pseudo-terminal (--tty). Loaded only when a tty is asked for: node-pty is a native
// module, and no session pays for it otherwise.
import { constants } from 'node:os';
import { Readable, Writable } from 'node:stream';
import type { IPty } from '@lydell/node-pty';
import type { ExitInfo } from '../contract/session.js';
import type { ExecProcess } from './exec-process.js';

interface PtyOptions {
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly cols: number;
  readonly rows: number;
}

/** Runs `command` on a new pty of the client's size; the pty's one stream carries stdout and stderr. */
export async function spawnOnPty(command: string, args: readonly string[], options: PtyOptions): Promise<ExecProcess> {
  let pty: IPty;
  try {
    // A native module: external to the supervisor's bundle (scripts/bundle.mjs), loaded on the first tty.
    const nodePty = (await import('@lydell/node-pty')) as typeof import('@lydell/node-pty') & { default?: typeof import('@lydell/node-pty') };
    const spawn = nodePty.spawn ?? nodePty.default!.spawn;
    pty = spawn(command, [...args], { name: options.env.TERM ?? 'xterm-256color', cols: options.cols, rows: options.rows, cwd: options.cwd, env: options.env, encoding: null });
  } catch (error) {
    return notStarted(command, error);
  }
  let done = false;
  // Paused and resumed with the socket it goes to: a slow client slows the program, as on pipes.
  const stdout = new Readable({ read: () => pty.resume() });
  pty.onData((data) => {
    if (!stdout.push(data as unknown as Buffer)) pty.pause();
  });
  const stdin = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!done) pty.write(chunk as unknown as string);
      callback();
    },
    // The client's EOF on a terminal is its ^D.
    final(callback) {
      if (!done) pty.write('\x04');
      callback();
    },
  });
  const exited = new Promise<ExitInfo>((resolve) =>
    pty.onExit(({ exitCode, signal }) => {
      done = true;
      stdout.push(null);
      resolve({ code: signal ? null : exitCode, signal: signal ? signalName(signal) : null, at: new Date().toISOString() });
    }),
  );
  return {
    pid: pty.pid,
    exited,
    hasExited: () => done,
    stdin,
    stdout,
    stderr: null,
    failure: () => null,
    resize: (cols, rows) => !done && pty.resize(cols, rows),
  };
}

function signalName(signal: number): string {
  return Object.entries(constants.signals).find(([, n]) => n === signal)?.[0] ?? `SIG${signal}`;
}

// node-pty throws for what spawn() reports as an event (a missing program): read as exit 127, as on pipes.
function notStarted(command: string, error: unknown): ExecProcess {
  const failure = `${command}: cannot run it on a tty (${error instanceof Error ? error.message : String(error)})`;
  const stdout = Readable.from([]);
  return {
    pid: -1,
    exited: Promise.resolve({ code: 127, signal: null, at: new Date().toISOString() }),
    hasExited: () => true,
    stdin: null,
    stdout,
    stderr: null,
    failure: () => failure,
    resize: () => undefined,
  };
}
