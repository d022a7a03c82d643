import type { ExitInfo } from '../contract/session.js';

// No imports but types: both spawners share this, and the supervisor's bundle is one of them.

/** What both spawners return: a process sessiond started, the leader of its own group (pgid = pid). */
export interface SpawnedBase {
  /** -1 when the spawn failed. */
  readonly pid: number;
  /** Resolves once the process has exited (learnt from the 'exit' event, never by polling). */
  readonly exited: Promise<ExitInfo>;
  readonly hasExited: () => boolean;
}

/** A Node module (run with an IPC channel) or any executable (run without a shell, and without a channel). */
export type SpawnTarget = { readonly file: string } | { readonly command: string };

// A file descriptor (a number) is handed to the process as it is, not piped through us.
export type Output = 'pipe' | 'ignore' | number;

export interface SpawnOptions {
  readonly args?: readonly string[];
  /** Laid over the spawner's own environment (undefined: unset there). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Its working directory; default: the spawner's. */
  readonly cwd?: string;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Node's own flags, before a module's file (`--import …`). */
  readonly nodeArgs?: readonly string[];
}

/** The events of a Node ChildProcess (execa's subprocess is one) that tell how it ended. */
interface ExitEvents {
  readonly pid?: number | undefined;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Learns a process's end from its events. A spawn failure (ENOENT, EACCES) emits 'error' and no
 * 'exit': it is reported as exit code 127, as a shell does. Later errors (a failed kill or send)
 * are caught here too, so none of them can crash the spawner.
 */
export function watchExit(child: ExitEvents): Pick<SpawnedBase, 'exited' | 'hasExited'> {
  let done = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    const finish = (code: number | null, signal: string | null) => {
      if (done) return;
      done = true;
      resolve({ code, signal, at: new Date().toISOString() });
    };
    child.once('exit', finish);
    child.on('error', () => {
      if (child.pid === undefined) finish(127, null);
    });
  });
  return { exited, hasExited: () => done };
}
