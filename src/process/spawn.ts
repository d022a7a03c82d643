import { execa, execaNode, type ResultPromise } from 'execa';
import { watchExit, type SpawnedBase, type SpawnOptions, type SpawnTarget } from './spawned.js';

export type { Output, SpawnOptions, SpawnTarget } from './spawned.js';

/**
 * The daemon's spawner (supervisors, with execa). The supervisor spawns its children with
 * spawn-child.ts instead: execa costs too much start-up to load in every session.
 */
export interface Spawned extends SpawnedBase {
  readonly subprocess: ResultPromise;
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
export function spawnProcess(target: SpawnTarget, options: SpawnOptions): Spawned {
  const args = [...(options.args ?? [])];
  // execa hands a number to spawn() untouched (its type 'native'); its types list only fds 3 to 9.
  const output = (value: SpawnOptions['stdout']) => value as 'pipe';
  const opts = { ...COMMON, env: { ...options.env }, stdout: output(options.stdout), stderr: output(options.stderr) };
  const subprocess: ResultPromise =
    'file' in target
      ? execaNode(target.file, args, { ...opts, ipc: true, serialization: 'json', nodeOptions: [] })
      : execa(target.command, args, opts);
  const { exited, hasExited } = watchExit(subprocess);
  subprocess.then(
    () => undefined,
    () => undefined,
  );
  return { pid: subprocess.pid ?? -1, subprocess, exited, hasExited };
}
