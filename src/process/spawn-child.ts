import { ChildProcess, spawn, type Serializable, type StdioOptions } from 'node:child_process';
import type { Socket } from 'node:net';
import { enteringLeaf, type ChildrenLeaf } from '../cgroup/children-leaf.js';
import { findProgram } from './find-program.js';
import { watchExit, type SpawnedBase, type SpawnOptions, type SpawnTarget } from './spawned.js';

export type { Output, SpawnOptions, SpawnTarget } from './spawned.js';

/**
 * The supervisor's spawner, for session children: the shape of the daemon's (spawn.ts) on Node's
 * own child_process. execa, with its dependencies, cost every session's supervisor ~17 ms of
 * start-up; child_process is loaded anyway.
 */
export interface Spawned extends SpawnedBase {
  /** Its stdout and stderr (when piped), its IPC channel (`connected`, 'message'). */
  readonly subprocess: ChildProcess;
  /** Sends over the IPC channel; a closed channel (the child exited) drops the message. */
  send(message: Serializable): void;
}

export interface ChildSpawnOptions extends Omit<SpawnOptions, 'stdout'> {
  /** A socket is the process's stdout as it is (an exec's output connection): its bytes never pass through us. */
  readonly stdout: SpawnOptions['stdout'] | Socket;
  /** 'pipe': its stdin stays open for an exec's or an attacher's bytes; default 'ignore'. */
  readonly stdin?: 'ignore' | 'pipe';
  /** The session's children leaf: the child enters it before its program runs (children-leaf.ts). */
  readonly leaf?: ChildrenLeaf | undefined;
}

/** Spawns a Node module with an IPC channel, or any executable without a shell. */
export function spawnProcess(target: SpawnTarget, options: ChildSpawnOptions): Spawned {
  const args = [...(options.args ?? [])];
  const output = [options.stdin ?? 'ignore', options.stdout, options.stderr] as const;
  const [program, programArgs, stdio]: [string, string[], StdioOptions] =
    'file' in target ? [process.execPath, [...(options.nodeArgs ?? []), target.file, ...args], [...output, 'ipc']] : [target.command, args, [...output]];
  const env = { ...process.env, ...options.env };
  const [file, argv] = options.leaf ? enteringLeaf(options.leaf, program, programArgs) : [program, programArgs];
  let subprocess: ChildProcess;
  try {
    if (file !== program && !findProgram(program, env.PATH, options.cwd)) throw Object.assign(new Error(`spawn ${program} ENOENT`), { code: 'ENOENT', path: program });
    subprocess = spawn(file, argv, {
      stdio,
      detached: true, // its own process group, so one signal reaches its grandchildren
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env,
      serialization: 'json',
    });
  } catch (error) {
    // Most spawn failures arrive as 'error' events; the rest (a NUL byte in an argument, E2BIG) are thrown: both read as exit 127.
    subprocess = failed(error);
  }
  const { exited, hasExited } = watchExit(subprocess);
  const send = (message: Serializable) => {
    if (subprocess.connected) subprocess.send(message, () => undefined);
  };
  return { pid: subprocess.pid ?? -1, subprocess, exited, hasExited, send };
}

// A process that never started: no pid, no streams, no channel; its 'error' comes on the next tick.
function failed(error: unknown): ChildProcess {
  const subprocess = new ChildProcess();
  process.nextTick(() => subprocess.emit('error', error));
  return subprocess;
}
