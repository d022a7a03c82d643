// What a supervisor knows of its session's children leaf. Loaded by every supervisor: node:fs only.
import { readFileSync, writeFileSync } from 'node:fs';

/** The two leaves of a session's group: the supervisor's, and its children's (and execs'). */
export const SUPERVISOR_LEAF = 'supervisor';
export const CHILDREN_LEAF = 'children';

/** The children leaf as the daemon hands it to the supervisor in its init (plain JSON). */
export interface ChildrenLeaf {
  /** The leaf's cgroup.procs in every hierarchy of the session: a child writes its pid to each before it execs. */
  readonly procs: string[];
  /** The leaf's freezer directory (pause freezes this leaf alone), or null where pause uses signals. */
  readonly freezer: { readonly dir: string; readonly via: 'v1' | 'v2' } | null;
}

/** Exit code of a child that could not enter its leaf: it never ran its program. */
export const EXIT_NO_LEAF = 125;

// `$$` is the child's pid (the shell's, which exec keeps): it enters every hierarchy, then becomes
// the program. A write refused leaves the program unrun, so no child ever runs outside its leaf.
const ENTER = `while [ "$1" != -- ]; do echo $$ > "$1" || { echo "sessiond: cannot enter cgroup $1" >&2; exit ${EXIT_NO_LEAF}; }; shift; done; shift; exec "$@"`;

/**
 * The trampoline: how the supervisor spawns a child so that it is born in the children leaf.
 * Node cannot spawn into a cgroup (no clone3 CLONE_INTO_CGROUP), and a child moved after its
 * spawn could fork before the move; so the child itself writes its pid to the leaf, then execs
 * its program, before anything of the program runs. `/bin/sh` (dash here) costs about a ms.
 */
export function enteringLeaf(leaf: ChildrenLeaf, file: string, args: readonly string[]): [string, string[]] {
  if (!leaf.procs.length) return [file, [...args]];
  return ['/bin/sh', ['-c', ENTER, 'sessiond-enter', ...leaf.procs, '--', file, ...args]];
}

/**
 * Who is in the leaf now (every process a child or exec started, and their descendants: none can
 * leave it), or undefined without a leaf. A kill that knows this reads these few pids, not all of /proc.
 */
export function leafMembers(leaf: ChildrenLeaf | undefined): (() => number[]) | undefined {
  const procs = leaf?.procs[0];
  if (!procs) return undefined;
  return () => {
    try {
      return readFileSync(procs, 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
}

/**
 * Whether the leaf is frozen or on its way (a pause): its children cannot answer heartbeats, and
 * missing them then is no hang. Read only: any uid may.
 */
export function leafFrozen(leaf: ChildrenLeaf | undefined): boolean {
  const freezer = leaf?.freezer;
  if (!freezer) return false;
  try {
    if (freezer.via === 'v2') return readFileSync(`${freezer.dir}/cgroup.freeze`, 'utf8').trim() === '1';
    return readFileSync(`${freezer.dir}/freezer.state`, 'utf8').trim() !== 'THAWED';
  } catch {
    return false;
  }
}

/**
 * After the SIGKILLs of an orphaned supervisor: a v1 frozen task dies only once thawed (a v2 one
 * dies frozen), so a v1 leaf is thawed. False when it could not be (no write access, gone).
 */
export function thawForKill(leaf: ChildrenLeaf | undefined): boolean {
  const freezer = leaf?.freezer;
  if (freezer?.via !== 'v1') return true;
  try {
    writeFileSync(`${freezer.dir}/freezer.state`, 'THAWED');
    return true;
  } catch {
    return false;
  }
}
