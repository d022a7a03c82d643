import { chownSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChildrenLeaf } from '../cgroup/children-leaf.js';

/**
 * Lets an isolated session's children enter their leaf, and nothing more. A child is born in the
 * children leaf by writing its own pid to the leaf's cgroup.procs before it execs (the trampoline,
 * cgroup/children-leaf.ts), as the session's user: that file alone becomes the user's. In v1 a
 * move needs write access to the destination only, so the user can move its processes into that
 * leaf and nowhere else; v2 also wants write access to the common ancestor's cgroup.procs (the
 * session's group: a move from the supervisor's leaf), which lets a process sit in the session's
 * group itself, still under its cgroup.kill. Every limit, freezer and kill file stays root's.
 */
export function delegateLeafEntry(leaf: ChildrenLeaf, user: { uid: number; gid: number }): void {
  for (const procs of leaf.procs) {
    chownSync(procs, user.uid, user.gid);
    const leafDir = dirname(procs);
    // cgroup.controllers exists in v2 groups only.
    if (existsSync(`${leafDir}/cgroup.controllers`)) chownSync(`${dirname(leafDir)}/cgroup.procs`, user.uid, user.gid);
  }
}
