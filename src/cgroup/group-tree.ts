import { childGroups, procsOf, removeGroup, removeGroupSync } from './cgroup-fs.js';

/**
 * A session's processes could make groups of their own below its group (as root, or with
 * delegation); the kernel's cgroup.kill reaches them, but cgroup.procs and rmdir are per group,
 * so reading and removing walk the subtree.
 */
export function treeProcs(dir: string): number[] {
  return [...procsOf(dir), ...childGroups(dir).flatMap((child) => treeProcs(`${dir}/${child}`))];
}

/** Removes a group and its descendants, deepest first; true when the whole subtree is gone. */
export async function removeTree(dir: string, timeoutMs: number): Promise<boolean> {
  const children = await Promise.all(childGroups(dir).map((child) => removeTree(`${dir}/${child}`, timeoutMs)));
  return (await removeGroup(dir, timeoutMs)) && children.every(Boolean);
}

/** Removes a group that holds no process and its descendants, deepest first; what fails is left to a sweep. */
export function removeTreeSync(dir: string): void {
  for (const child of childGroups(dir)) removeTreeSync(`${dir}/${child}`);
  removeGroupSync(dir);
}
