import { errnoOf, makeGroup, procsOf, readText, writeValue } from './cgroup-fs.js';

/** The v2 controllers sessiond's limits use. */
export const V2_CONTROLLERS = ['memory', 'cpu', 'pids'] as const;

/** Controllers offered to a group (its cgroup.controllers) that its children do not get yet. */
export function controllersToEnable(available: ReadonlySet<string>, enabled: ReadonlySet<string>, wanted: readonly string[] = V2_CONTROLLERS): string[] {
  return wanted.filter((c) => available.has(c) && !enabled.has(c));
}

function words(path: string): Set<string> {
  return new Set((readText(path) ?? '').split(/\s+/).filter(Boolean));
}

/**
 * Hands the v2 controllers sessiond needs from the daemon's own group (under systemd, its
 * unit's group with Delegate=yes) down to the groups it creates. cgroup v2 has no internal
 * processes: a group that holds processes cannot enable controllers for its children (EBUSY),
 * the hierarchy's root excepted. So when the daemon is alone in its group it moves itself
 * into a leaf `leafName` beside the session groups, as systemd's delegation docs ask; when
 * it is not alone, moving only itself would not help, and it says so in `notes`.
 * https://systemd.io/CGROUP_DELEGATION/
 */
export function delegateControllers(own: string, pid: number, leafName: string, notes: string[], controllers: readonly string[] = V2_CONTROLLERS): void {
  const wanted = controllersToEnable(words(`${own}/cgroup.controllers`), words(`${own}/cgroup.subtree_control`), controllers);
  let moved = false;
  for (const controller of wanted) {
    try {
      enable(own, controller);
    } catch (error) {
      if (errnoOf(error) !== 'EBUSY' || moved) {
        notes.push(`cgroup v2: cannot enable ${controller} in ${own}/cgroup.subtree_control (${errnoOf(error)})`);
        continue;
      }
      const others = procsOf(own).filter((p) => p !== pid);
      if (others.length) {
        notes.push(
          `cgroup v2: ${own} holds other processes (${others.slice(0, 5).join(', ')}), so its controllers cannot go to session groups; run the daemon in a unit of its own with Delegate=yes`,
        );
        return;
      }
      moved = moveInto(`${own}/${leafName}`, pid, notes);
      if (!moved) return;
      try {
        enable(own, controller);
      } catch (retry) {
        notes.push(`cgroup v2: cannot enable ${controller} in ${own}/cgroup.subtree_control (${errnoOf(retry)})`);
      }
    }
  }
}

/** Lets a group's children have a controller. */
export function enable(dir: string, controller: string): void {
  writeValue(`${dir}/cgroup.subtree_control`, `+${controller}`);
}

function moveInto(leaf: string, pid: number, notes: string[]): boolean {
  try {
    makeGroup(leaf);
    writeValue(`${leaf}/cgroup.procs`, pid);
    notes.push(`cgroup v2: the daemon moved itself into ${leaf} (no internal processes)`);
    return true;
  } catch (error) {
    notes.push(`cgroup v2: cannot move the daemon into ${leaf} (${errnoOf(error)})`);
    return false;
  }
}
