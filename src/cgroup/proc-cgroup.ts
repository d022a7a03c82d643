import { posix } from 'node:path';
import { V1_CONTROLLERS, type Hierarchy } from './types.js';

/** A process's place in each hierarchy, from /proc/PID/cgroup. */
export interface Memberships {
  /** The path in the unified hierarchy (the `0::` line), or null on a v1-only host. */
  readonly unified: string | null;
  /** The path per v1 controller. */
  readonly v1: ReadonlyMap<string, string>;
}

/** One cgroup filesystem mount, from /proc/self/mountinfo. */
export interface CgroupMount {
  readonly hierarchy: 'unified' | 'v1';
  /** v1: the controllers mounted together (`cpu,cpuacct`); v2: empty. */
  readonly controllers: readonly string[];
  /** The path inside the hierarchy that is mounted (`/` unless a container bind-mounts a subtree). */
  readonly root: string;
  readonly mountPoint: string;
}

/** Parses /proc/PID/cgroup: `0::/path` for v2, `N:ctrl,ctrl:/path` for v1 (named hierarchies skipped). */
export function parseProcCgroup(text: string): Memberships {
  let unified: string | null = null;
  const v1 = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, id, controllers, path] = match as unknown as [string, string, string, string];
    if (id === '0' && controllers === '') unified = path;
    else for (const controller of controllers.split(',')) if (controller && !controller.startsWith('name=')) v1.set(controller, path);
  }
  return { unified, v1 };
}

// mountinfo escapes space, tab, newline and backslash in paths as octal (\040).
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * Parses /proc/self/mountinfo into its cgroup mounts:
 * `id parent major:minor root mountpoint options [optional…] - fstype source superoptions`.
 */
export function parseMountinfo(text: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6) continue;
    const fstype = fields[dash + 1];
    const root = unescape(fields[3]!);
    const mountPoint = unescape(fields[4]!);
    if (fstype === 'cgroup2') mounts.push({ hierarchy: 'unified', controllers: [], root, mountPoint });
    else if (fstype === 'cgroup') {
      const options = (fields[dash + 3] ?? '').split(',');
      const controllers = options.filter((o) => (V1_CONTROLLERS as readonly string[]).includes(o));
      if (controllers.length) mounts.push({ hierarchy: 'v1', controllers, root, mountPoint });
    }
  }
  return mounts;
}

/**
 * The directory of the process's own group in each hierarchy it can reach: the mount point
 * plus its path below the mount's root. A hierarchy whose mount does not contain the process's
 * group (a container that sees only a subtree, or `/..` from a cgroup namespace) is left out.
 */
export function ownDirs(mounts: readonly CgroupMount[], memberships: Memberships): Map<Hierarchy, string> {
  const dirs = new Map<Hierarchy, string>();
  for (const mount of mounts) {
    const keys: Hierarchy[] = mount.hierarchy === 'unified' ? ['unified'] : (mount.controllers as Hierarchy[]);
    for (const key of keys) {
      const path = key === 'unified' ? memberships.unified : memberships.v1.get(key);
      if (path == null || dirs.has(key)) continue;
      const below = relativeInside(mount.root, path);
      if (below !== null) dirs.set(key, posix.join(mount.mountPoint, below));
    }
  }
  return dirs;
}

function relativeInside(root: string, path: string): string | null {
  // A cgroup namespace shows a group outside it as `/../…`: not reachable through this mount.
  if (!path.startsWith('/') || path.split('/').includes('..')) return null;
  const relative = posix.relative(root, path);
  return relative.startsWith('..') ? null : relative;
}
