import { setTimeout as sleep } from 'node:timers/promises';
import { childGroups, errnoOf, writeValue } from './cgroup-fs.js';
import { freezeGroup, thawGroup } from './freezer.js';

/** Where a group's kill goes: the v2 directory with cgroup.kill, else a v1 freezer to hold forks still. */
export interface KillTarget {
  /** The group's v2 directory when it has cgroup.kill. */
  readonly killDir: string | null;
  /** The group's v1 freezer directory when there is one (and no cgroup.kill). */
  readonly v1FreezerDir: string | null;
  /** Every process in the group, in any of its hierarchies, descendants' groups included. */
  readonly pids: () => number[];
  /** Told when the kernel refuses cgroup.kill: the kill goes on with signals, never throws into a stop. */
  readonly warn?: (message: string) => void;
}

/**
 * SIGKILLs every process in a group, wherever it went in its process tree, whatever it did to
 * its environment or session: membership is the kernel's, not a marker a process may scrub.
 * Resolves true once the group is empty, false if some process outlives timeoutMs; never rejects
 * (a stop awaits it: a throw here would leave the stop hanging).
 * - v2: cgroup.kill kills the whole group at once, new forks included (kernel ≥ 5.14).
 * - else: each pid of cgroup.procs gets SIGKILL in a loop until none is left. With a v1
 *   freezer the group is frozen first, so nothing forks between the read and the kill, and
 *   thawed after: a frozen v1 task dies only once thawed.
 */
export async function killGroup(target: KillTarget, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let killDir = target.killDir;
  for (;;) {
    const left = target.pids();
    if (!left.length) return true;
    if (Date.now() > deadline) return false;
    if (killDir && !writeKill(killDir, target.warn)) killDir = null;
    // Written, cgroup.kill kills the whole group, forks included; else each pid gets its SIGKILL.
    if (!killDir && target.v1FreezerDir) await killFrozen(target.v1FreezerDir, target.pids, deadline);
    else if (!killDir) for (const pid of left) sigkill(pid);
    // The kernel delivers SIGKILL within a millisecond or two: wait that, not longer.
    await sleep(1);
  }
}

async function killFrozen(dir: string, pids: () => number[], deadline: number): Promise<void> {
  try {
    await freezeGroup(dir, 'v1', Math.max(50, Math.min(500, deadline - Date.now())));
  } catch {
    // not all frozen: the kill still reaches the frozen ones, the loop comes back for the rest
  }
  for (const pid of pids()) sigkill(pid);
  await thawTree(dir);
}

// A v1 group frozen by its own state (a paused session's children leaf) stays frozen when its parent thaws.
async function thawTree(dir: string): Promise<void> {
  await thawGroup(dir, 'v1').catch(() => {});
  for (const child of childGroups(dir)) await thawTree(`${dir}/${child}`);
}

// False when the kernel refused the write (said through warn): the caller falls back to signals.
function writeKill(dir: string, warn?: (message: string) => void): boolean {
  try {
    writeValue(`${dir}/cgroup.kill`, '1');
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return true; // the group is gone, and its processes with it
    warn?.(`cannot write ${dir}/cgroup.kill (${errnoOf(error)}): SIGKILLing each of its processes instead`);
    return false;
  }
}

function sigkill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone since the read
  }
}
