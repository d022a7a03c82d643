import type { Socket } from 'node:net';
import { basename } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ExitInfo } from '../contract/session.js';
import { markerEnv, type RunMarker } from '../process/marker.js';
import { spawnProcess } from '../process/spawn-child.js';
import type { SpawnedBase } from '../process/spawned.js';
import { enteringLeaf, type ChildrenLeaf } from '../cgroup/children-leaf.js';
import type { ExecOrder } from './exec-messages.js';

/** An exec's process, on pipes or on a pseudo-terminal: what the runner needs of either. */
export interface ExecProcess extends SpawnedBase {
  /** Null on a tty that is already gone. */
  readonly stdin: Writable | null;
  /** Null when its stdout is the caller's output connection. */
  readonly stdout: Readable | null;
  /** Null on a tty: its one stream carries both. */
  readonly stderr: Readable | null;
  /** Why it could not start (ENOENT: 127), once it is known; null while it runs. */
  readonly failure: () => string | null;
  resize(cols: number, rows: number): void;
}

/**
 * The one place where an exec's process is made, in the session's children leaf: its environment (the session's, `--env` over
 * it, the run's marker last so no `--env` can hide it from a sweep), its cwd, its streams (`output`:
 * the caller's output connection is its stdout). Isolation (h-iso) applies the session's uid and confinement here.
 */
export async function spawnExec(order: ExecOrder, marker: RunMarker, leaf: ChildrenLeaf | undefined, output?: Socket): Promise<ExecProcess> {
  const env = { ...order.env, ...markerEnv(marker) };
  const [command, ...args] = order.argv as [string, ...string[]];
  if (order.tty) {
    const { spawnOnPty } = await import('./pty.js');
    // Born in the children leaf as the children are (the trampoline), so pause freezes it too.
    const [file, argv] = leaf ? enteringLeaf(leaf, command, args) : [command, args];
    return spawnOnPty(file, argv, { cwd: order.cwd, env: { ...process.env, ...env }, ...order.tty });
  }
  const spawned = spawnProcess({ command }, { args, env, cwd: order.cwd, stdin: 'pipe', stdout: output ?? 'pipe', stderr: 'pipe', leaf });
  let failure: string | null = null;
  spawned.subprocess.once('error', (error: NodeJS.ErrnoException) => {
    if (spawned.pid > 0) return;
    failure = error.code === 'ENOENT' ? `${command}: command not found` : `${command}: cannot run it (${error.code ?? error.message})`;
  });
  const { subprocess } = spawned;
  return { ...spawned, stdin: subprocess.stdin, stdout: subprocess.stdout, stderr: subprocess.stderr, failure: () => failure, resize: () => undefined };
}

/** The executable's name only: events never carry its path's folders or its arguments. */
export function programName(order: ExecOrder): string {
  return basename(order.argv[0] ?? '');
}

export type { ExitInfo };
