import treeKill from 'tree-kill';
import { runningMarked, type Marker } from './marker.js';
import { runningInGroup } from './proc.js';

/** Sends a signal to a whole process group; a group that is already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  // kill(-0) is our own group and kill(-(-1)) is init: no pgid of ours is ever either.
  if (!Number.isInteger(pgid) || pgid <= 1) throw new RangeError(`signalGroup: ${pgid} is no process group of a session`);
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export function signalPid(pid: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs pid, its descendants (while they can still be found from it) and its group. */
export async function killTree(pid: number): Promise<void> {
  await new Promise<void>((resolve) => treeKill(pid, 'SIGKILL', () => resolve()));
  signalGroup(pid, 'SIGKILL');
}

/**
 * SIGKILLs every running member of the groups, and every process carrying `marker`, until none
 * is left; false if some survive timeoutMs (a process in uninterruptible sleep). The loop only
 * waits out the kernel's delivery of SIGKILL.
 */
export async function killGroups(pgids: readonly number[], marker?: Marker, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (const pgid of pgids) signalGroup(pgid, 'SIGKILL');
  for (;;) {
    const left = [...pgids.flatMap((pgid) => runningInGroup(pgid)), ...(marker ? runningMarked(marker) : [])];
    if (left.length === 0) return true;
    if (Date.now() > deadline) return false;
    for (const pid of left) signalPid(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
