import { readFileSync } from 'node:fs';
import type { IsolationState } from '../contract/isolation.js';
import { SUPERVISOR_NODE_ARGS } from '../process/entries.js';
import { spawnProcess, type Spawned } from '../process/spawn.js';
import { bwrapArgv } from './bwrap-argv.js';
import { cleanEnv } from './clean-env.js';

/** The fd on which an isolated supervisor relays its children's logs (spawn.ts puts a pipe there). */
export const LOG_RELAY_FD = 3;

/**
 * Spawns an isolated session's supervisor: under the session's uid and gid, no supplementary
 * groups, the clean environment, in its work dir; through bwrap when it asks for --read-only or
 * --no-network. Then the supervisor is bwrap's child, and the process returned names it (its pid,
 * which leads its own group) while its exit is bwrap's, which ends with it.
 */
export function spawnIsolatedSupervisor(file: string, state: Omit<IsolationState, 'keepWorkdir'>, runtime: string, output: number): Spawned {
  const env = cleanEnv(state);
  const out = { stdout: output, stderr: output, cwd: state.workDir };
  if (state.enforcement === 'uid') return spawnProcess({ file }, { ...out, nodeArgs: SUPERVISOR_NODE_ARGS }, { ...state, env, launcher: false });
  const argv = [...bwrapArgv({ ...state, runtime }), process.execPath, ...SUPERVISOR_NODE_ARGS, file];
  const launcher = spawnProcess({ command: 'bwrap' }, { ...out, args: argv }, { ...state, env, launcher: true });
  const pid = launcher.pid > 0 ? launchedChild(launcher) : -1;
  return { ...launcher, pid };
}

// bwrap forks the supervisor at once (no pid namespace: the pid is the host's); wait for it a
// little, without yielding, since callers need the pid as soon as they have the process.
function launchedChild(launcher: Spawned): number {
  const deadline = Date.now() + 2000;
  const tick = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < deadline && !launcher.hasExited()) {
    const child = childOf(launcher.pid);
    if (child !== null) return child;
    Atomics.wait(tick, 0, 0, 1);
  }
  return launcher.pid;
}

function childOf(pid: number): number | null {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0];
    return first ? Number(first) : null;
  } catch {
    return null;
  }
}
