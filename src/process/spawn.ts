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

/** What an isolated session's supervisor (or its launcher) is spawned with besides (isolation/launch.ts). */
export interface IsolatedSpawn {
  readonly uid: number;
  readonly gid: number;
  /** The whole environment: nothing of ours is added. */
  readonly env: Readonly<Record<string, string>>;
  /** A launcher (bwrap) that runs the Node supervisor: the IPC channel passes through it. */
  readonly launcher: boolean;
}

/**
 * Spawns a Node module with an IPC channel, or any executable without a shell. `isolated`: under
 * another uid and gid (Node then drops our supplementary groups), with only the environment
 * given, and a pipe at fd 3 on which the supervisor relays its children's logs.
 */
export function spawnProcess(target: SpawnTarget, options: SpawnOptions, isolated?: IsolatedSpawn): Spawned {
  const args = [...(options.args ?? [])];
  // execa hands a number to spawn() untouched (its type 'native'); its types list only fds 3 to 9.
  const output = (value: SpawnOptions['stdout']) => value as 'pipe';
  const base = { ...COMMON, env: { ...options.env }, stdout: output(options.stdout), stderr: output(options.stderr) };
  const opts = isolated
    ? { ...base, uid: isolated.uid, gid: isolated.gid, env: { ...isolated.env }, extendEnv: false, stdin: undefined, stdout: undefined, stderr: undefined, stdio: ['ignore', output(options.stdout), output(options.stderr), 'pipe'] as ['ignore', 'pipe', 'pipe', 'pipe'], ...(options.cwd === undefined ? {} : { cwd: options.cwd }) }
    : base;
  const ipc = { ipc: true, serialization: 'json' } as const;
  const subprocess: ResultPromise =
    'file' in target
      ? execaNode(target.file, args, { ...opts, ...ipc, nodeOptions: [...(options.nodeArgs ?? [])] })
      : execa(target.command, args, isolated?.launcher ? { ...opts, ...ipc } : opts);
  const { exited, hasExited } = watchExit(subprocess);
  subprocess.then(
    () => undefined,
    () => undefined,
  );
  return { pid: subprocess.pid ?? -1, subprocess, exited, hasExited };
}
