import { setTimeout as sleep } from 'node:timers/promises';
import { errnoOf, writeValue } from './cgroup-fs.js';
import { freezeGroup, thawGroup } from './freezer.js';

/** Where a group's kill goes: the v2 directory with cgroup.kill, else a v1 freezer to hold forks still. */
export interface KillTarget {
  /** The group's v2 directory when it has cgroup.kill. */
  readonly killDir: string | null;
  /** The group's v1 freezer directory when there is one (and no cgroup.kill). */
  readonly v1FreezerDir: string | null;
  /** Every process in the group, in any of its hierarchies, descendants' groups included. */
  readonly pids: () => number[];
}

/**
 * SIGKILLs every process in a group, wherever it went in its process tree, whatever it did to
 * its environment or session: membership is the kernel's, not a marker a process may scrub.
 * Resolves true once the group is empty, false if some process outlives timeoutMs.
 * - v2: cgroup.kill kills the whole group at once, new forks included (kernel ≥ 5.14).
 * - else: each pid of cgroup.procs gets SIGKILL in a loop until none is left. With a v1
 *   freezer the group is frozen first, so nothing forks between the read and the kill, and
 *   thawed after: a frozen v1 task dies only once thawed.
 */
export async function killGroup(target: KillTarget, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = target.pids();
    if (!left.length) return true;
    if (Date.now() > deadline) return false;
    if (target.killDir) writeKill(target.killDir);
    else if (target.v1FreezerDir) await killFrozen(target.v1FreezerDir, target.pids, deadline);
    else for (const pid of left) sigkill(pid);
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
  await thawGroup(dir, 'v1').catch(() => {});
}

function writeKill(dir: string): void {
  try {
    writeValue(`${dir}/cgroup.kill`, '1');
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
}

function sigkill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone since the read
  }
}
