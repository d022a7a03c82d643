import { childGroups } from './cgroup-fs.js';
import { removeTree } from './group-tree.js';
import { SessionCgroup } from './session-cgroup.js';
import type { CgroupSupport } from './types.js';

/**
 * What a daemon that died left under its parent: every group there is a dead daemon's (the
 * parent is named after the state dir, which one daemon at a time holds), so each is emptied
 * with a SIGKILL of all it holds and removed. Returns the names of the groups removed (session
 * ids, for the groups sessiond made). Run at start, before any session of this daemon exists.
 */
export async function sweepLeftovers(support: CgroupSupport, timeoutMs = 2000): Promise<string[]> {
  const dirNames = new Set(Object.values(support.parents).flatMap((parent) => childGroups(parent)));
  const swept: string[] = [];
  for (const dirName of dirNames) {
    const name = dirName.startsWith('s-') ? dirName.slice(2) : dirName;
    const group = SessionCgroup.at(support, name, dirName);
    await group.killAll(timeoutMs);
    // One that cannot be removed yet (a process stuck in the kernel) stays for the next start.
    if (await group.remove(timeoutMs)) swept.push(name);
  }
  return swept;
}

/** Removes the daemon's parent groups (when it stops, or a test ends); true when none is left. */
export async function removeParents(support: CgroupSupport, timeoutMs = 1000): Promise<boolean> {
  const removed = await Promise.all(Object.values(support.parents).map((parent) => removeTree(parent, timeoutMs)));
  return removed.every(Boolean);
}
