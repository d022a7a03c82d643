import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { errnoOf, interfaceFiles, makeGroup, readText, removeGroupSync } from './cgroup-fs.js';
import { ownDirs, parseMountinfo, parseProcCgroup } from './proc-cgroup.js';
import { FUNCTIONS, PROOF, hierarchyOf, type CgroupFunction, type CgroupSupport, type Hierarchy, type Via } from './types.js';
import { delegateControllers, enable } from './v2-delegate.js';

export interface DetectOptions {
  /** The daemon's state dir: its hash names the parent group, so two daemons never share one. */
  readonly stateDir: string;
  /** false: no cgroups at all (`sessiond --cgroups off`), as on a host without them. */
  readonly enabled?: boolean;
  /** The versions to consider (default both): ['v1'] or ['v2'] to use, or test, one alone. */
  readonly versions?: readonly ('v1' | 'v2')[];
  /** The process whose groups the parent goes under, and which moves into a v2 leaf if need be (default: this one). */
  readonly pid?: number;
  /** /proc/self/mountinfo's text, for tests that describe another host. */
  readonly mountinfo?: string;
}

/** `sessiond-` and 12 hex digits of the state dir's hash. */
export function parentNameFor(stateDir: string): string {
  return `sessiond-${createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 12)}`;
}

/**
 * Finds what cgroups this process may use, and prepares them: under its own group in each
 * hierarchy it probes writability by creating and removing a group, picks v2 where v2 offers a
 * function and v1 for the rest, and creates the parent group where it is used. Synchronous: a
 * few dozen cgroupfs calls, once, when the daemon starts.
 */
export function detectCgroups(options: DetectOptions): CgroupSupport {
  const parentName = parentNameFor(options.stateDir);
  if (options.enabled === false) return none(parentName, 'turned off (--cgroups off)');
  if (process.platform !== 'linux') return none(parentName, `cgroups are Linux only (this is ${process.platform})`);
  const pid = options.pid ?? process.pid;
  const cgroupText = readText(`/proc/${pid}/cgroup`);
  const mountText = options.mountinfo ?? readText('/proc/self/mountinfo');
  if (cgroupText === null || mountText === null) return none(parentName, `cannot read /proc/${pid}/cgroup or /proc/self/mountinfo`);
  const versions = new Set(options.versions ?? ['v1', 'v2']);
  const owns = [...ownDirs(parseMountinfo(mountText), parseProcCgroup(cgroupText))].filter(([h]) => versions.has(h === 'unified' ? 'v2' : 'v1'));
  if (!owns.length) return none(parentName, 'no cgroup filesystem is mounted that holds this process (see /proc/self/mountinfo)');

  const notes: string[] = [];
  const files = new Map<Hierarchy, Set<string>>();
  const unwritable: { dir: string; code: string }[] = [];
  for (const [hierarchy, own] of owns) {
    if (hierarchy === 'unified') delegateControllers(own, pid, `${parentName}-daemon`, notes);
    const found = probe(own, `${parentName}-probe`, unwritable);
    if (found) files.set(hierarchy, found);
  }
  notes.push(...unwritable.map(({ dir, code }) => `${dir} is not writable (${code})`));
  const via = choose(files);
  const used = new Set(FUNCTIONS.flatMap((fn) => (via[fn] ? [hierarchyOf(fn, via[fn])] : [])));
  for (const fn of FUNCTIONS) if (!via[fn]) notes.push(`${fn}: ${missing(fn)}`);
  if (!used.size) {
    const uid = process.getuid?.() ?? -1;
    const reason = files.size
      ? 'no writable cgroup offers a limit, the freezer or cgroup.kill (see notes)'
      : `no cgroup is writable by uid ${uid} (${[...new Set(unwritable.map((u) => u.code))].join('/')} on ${unwritable.map((u) => u.dir).join(', ')}): run the daemon as root, or under systemd with Delegate=yes (sessiond daemon install)`;
    return none(parentName, reason, notes);
  }

  let parents: Partial<Record<Hierarchy, string>>;
  try {
    parents = prepareParents(new Map(owns), used, parentName, via);
  } catch (error) {
    return none(parentName, `cannot prepare the parent group ${parentName}: ${errnoOf(error)}`, notes);
  }
  const v2 = used.has('unified');
  const v1 = [...used].some((h) => h !== 'unified');
  return { mode: v2 && v1 ? 'hybrid' : v2 ? 'v2' : 'v1', reason: null, parentName, parents, ...via, notes };
}

// The parent in each hierarchy used; in v2 it passes the controllers used on to the session groups.
function prepareParents(owns: ReadonlyMap<Hierarchy, string>, used: ReadonlySet<Hierarchy>, parentName: string, via: Record<CgroupFunction, Via>): Partial<Record<Hierarchy, string>> {
  const parents: Partial<Record<Hierarchy, string>> = {};
  try {
    for (const hierarchy of used) {
      const dir = `${owns.get(hierarchy)}/${parentName}`;
      makeGroup(dir);
      parents[hierarchy] = dir;
      if (hierarchy === 'unified') for (const fn of ['memory', 'cpu', 'pids'] as const) if (via[fn] === 'v2') enable(dir, fn);
    }
    return parents;
  } catch (error) {
    for (const dir of Object.values(parents)) removeGroupSync(dir);
    throw error;
  }
}

// A probe group beside the parent: what a session group will be given, and proof that we may write.
function probe(own: string, name: string, unwritable: { dir: string; code: string }[]): Set<string> | null {
  const dir = `${own}/${name}`;
  try {
    makeGroup(dir);
    return interfaceFiles(dir);
  } catch (error) {
    unwritable.push({ dir: own, code: errnoOf(error) });
    return null;
  } finally {
    removeGroupSync(dir);
  }
}

// v2 for whatever the unified hierarchy offers, v1 for the rest; v2 counts only if it gives more than CPU time.
function choose(files: ReadonlyMap<Hierarchy, Set<string>>): Record<CgroupFunction, Via> & { kill: 'v2' | null } {
  const unified = files.get('unified');
  const inV2 = (fn: CgroupFunction): boolean => Boolean(unified && PROOF[fn].v2 && unified.has(PROOF[fn].v2!));
  const v2Useful = FUNCTIONS.some((fn) => fn !== 'cpuUsage' && inV2(fn));
  const pick = (fn: CgroupFunction): Via => {
    if (v2Useful && inV2(fn)) return 'v2';
    const v1 = PROOF[fn].v1;
    return v1 && files.get(v1[0])?.has(v1[1]) ? 'v1' : null;
  };
  return {
    memory: pick('memory'),
    cpu: pick('cpu'),
    cpuUsage: pick('cpuUsage'),
    pids: pick('pids'),
    freeze: pick('freeze'),
    kill: v2Useful && inV2('kill') ? 'v2' : null,
  };
}

function missing(fn: CgroupFunction): string {
  const { v2, v1 } = PROOF[fn];
  if (!v1) return `${v2} (cgroup v2) is not available: a stop SIGKILLs each pid of cgroup.procs instead`;
  return `neither ${v2} (cgroup v2) nor the v1 ${v1[0]} hierarchy is available and writable`;
}

/** What a manager uses when it is given no cgroups (the daemon detects them; `--cgroups off`): none, for `reason`. */
export function noCgroups(reason: string, parentName = ''): CgroupSupport {
  return none(parentName, reason);
}

function none(parentName: string, reason: string, notes: readonly string[] = []): CgroupSupport {
  return { mode: 'none', reason, parentName, parents: {}, memory: null, cpu: null, cpuUsage: null, pids: null, freeze: null, kill: null, notes };
}
