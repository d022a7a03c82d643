import { execa, execaNode, type ResultPromise } from 'execa';
import type { ExitInfo } from '../contract/session.js';

/** A process sessiond started: the leader of its own process group (pgid = pid). */
export interface Spawned {
  readonly pid: number;
  readonly subprocess: ResultPromise;
  /** Resolves once the process has exited (learnt from the 'exit' event, never by polling). */
  readonly exited: Promise<ExitInfo>;
  readonly hasExited: () => boolean;
}

// A file descriptor (a number) is handed to the process as it is, not piped through us.
type Output = 'pipe' | 'ignore' | number;

export interface SpawnOptions {
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly stdout: Output;
  readonly stderr: Output;
}

const COMMON = {
  detached: true, // its own process group, so one signal reaches its grandchildren
  cleanup: false,
  buffer: false, // never accumulate output or IPC messages in memory
  reject: false,
  stdin: 'ignore',
  extendEnv: true,
} as const;

/** Spawns a Node module with an IPC channel, or any executable without a shell. */
export function spawnProcess(target: { file: string } | { command: string }, options: SpawnOptions): Spawned {
  const args = [...(options.args ?? [])];
  // execa hands a number to spawn() untouched (its type 'native'); its types list only fds 3 to 9.
  const output = (value: Output) => value as 'pipe';
  const opts = { ...COMMON, env: { ...options.env }, stdout: output(options.stdout), stderr: output(options.stderr) };
  const subprocess: ResultPromise =
    'file' in target
      ? execaNode(target.file, args, { ...opts, ipc: true, serialization: 'json', nodeOptions: [] })
      : execa(target.command, args, opts);
  let done = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    const finish = (code: number | null, signal: string | null) => {
      if (done) return;
      done = true;
      resolve({ code, signal, at: new Date().toISOString() });
    };
    subprocess.once('exit', finish);
    // A spawn failure (ENOENT, EACCES) emits 'error' and no 'exit': report it as exit code 127.
    subprocess.once('error', () => {
      if (subprocess.pid === undefined) finish(127, null);
    });
  });
  subprocess.then(
    () => undefined,
    () => undefined,
  );
  return { pid: subprocess.pid ?? -1, subprocess, exited, hasExited: () => done };
}
