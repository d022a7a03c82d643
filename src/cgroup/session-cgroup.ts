import { SessiondError } from '../contract/errors.js';
import { NO_LIMITS, type ResourceLimits } from '../limits/limits.js';
import { CHILDREN_LEAF, SUPERVISOR_LEAF, type ChildrenLeaf } from './children-leaf.js';
import { errnoOf, makeGroup, writeValue } from './cgroup-fs.js';
import { freezeGroup, isFrozen, thawGroup } from './freezer.js';
import { removeTree, removeTreeSync, treeProcs } from './group-tree.js';
import { killGroup } from './kill-all.js';
import { limitWrites } from './limit-writes.js';
import { readOomKills, readStats, readUsage, type CgroupStats, type CgroupUsage } from './stats.js';
import type { CgroupSupport, Hierarchy } from './types.js';
import { enable } from './v2-delegate.js';

/** Session ids are at most 128 characters of [A-Za-z0-9_.-]; a group name takes the same. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

/** A session's directory name under the parent: prefixed, so no name can be an interface file (`tasks`, `cgroup.procs`). */
export function groupDirName(name: string): string {
  if (!NAME.test(name)) throw new SessiondError('invalid_params', `cgroup name ${JSON.stringify(name)} must match ${NAME.source}`);
  return `s-${name}`;
}

/**
 * One session's group in every hierarchy the daemon uses (`<parent>/s-<name>`), with two leaves:
 * `supervisor` and `children`. Synchronous but for the waits. The daemon moves the supervisor into
 * its leaf before init (it forks nothing before), and each child enters the children leaf before
 * its program runs, so no process of a session is ever outside, and the supervisor's own tasks
 * neither count against maxProcesses nor freeze with a pause. Memory touched before a move stays
 * charged where it was (cgroups do not move charges).
 */
export class SessionCgroup {
  private constructor(
    readonly support: CgroupSupport,
    readonly name: string,
    private readonly dirs: ReadonlyMap<Hierarchy, string>,
  ) {}

  /**
   * Creates the group, its two leaves and its limits; a limit the host cannot enforce is refused
   * first (not_supported). memoryMax and cpuMax hold the whole session; maxProcesses its children.
   */
  static create(support: CgroupSupport, name: string, limits: ResourceLimits = NO_LIMITS): SessionCgroup {
    const group = SessionCgroup.open(support, name);
    const writes = limitWrites(support, limits);
    const made: string[] = [];
    try {
      for (const dir of group.paths) {
        // A group left empty by an earlier run with this name would keep that run's limits.
        if (!makeGroup(dir)) {
          if (treeProcs(dir).length) throw new SessiondError('already_exists', `cgroup ${dir} already exists and holds processes`);
          removeTreeSync(dir);
          makeGroup(dir);
        }
        made.push(dir);
        // v2 has no internal processes: the session's group hands pids down to its leaves, and holds none.
        if (dir === group.dirs.get('unified') && support.pids === 'v2') enable(dir, 'pids');
        for (const leaf of [SUPERVISOR_LEAF, CHILDREN_LEAF]) makeGroup(`${dir}/${leaf}`);
      }
      for (const { hierarchy, leaf, file, value, optional } of writes) {
        const path = `${group.dirs.get(hierarchy)}${leaf ? `/${leaf}` : ''}/${file}`;
        try {
          writeValue(path, value);
        } catch (error) {
          if (!(optional && errnoOf(error) === 'ENOENT')) throw new SessiondError('start_failed', `cannot set ${path} to ${value}: ${errnoOf(error)}`, { cause: error });
        }
      }
    } catch (error) {
      for (const dir of made) removeTreeSync(dir);
      if (error instanceof SessiondError) throw error;
      throw new SessiondError('start_failed', `cannot create cgroup ${name}: ${errnoOf(error)}`, { cause: error });
    }
    return group;
  }

  /** The group of that name, as it is on disk (created or not): for a sweep, or a daemon that finds it again. */
  static open(support: CgroupSupport, name: string): SessionCgroup {
    if (support.mode === 'none') throw new SessiondError('not_supported', `no cgroup for session ${name}: cgroups none (${support.reason})`);
    return SessionCgroup.at(support, name, groupDirName(name));
  }

  /** @internal A group by its directory name, which a sweep finds without knowing the session. */
  static at(support: CgroupSupport, name: string, dirName: string): SessionCgroup {
    const dirs = new Map<Hierarchy, string>();
    for (const [hierarchy, parent] of Object.entries(support.parents) as [Hierarchy, string][]) dirs.set(hierarchy, `${parent}/${dirName}`);
    return new SessionCgroup(support, name, dirs);
  }

  /** The group's directories, one per hierarchy used (co-mounted controllers share one). */
  get paths(): string[] {
    return [...new Set(this.dirs.values())];
  }

  /**
   * Moves a process (with its threads) into one of the group's leaves in every hierarchy; what it
   * forks after stays there. The daemon moves the supervisor (and a spare's Placeholder, spawned
   * before its session); the supervisor's children enter theirs themselves (children-leaf.ts).
   */
  addProcess(pid: number, leaf: typeof SUPERVISOR_LEAF | typeof CHILDREN_LEAF = SUPERVISOR_LEAF): void {
    for (const dir of this.paths) {
      try {
        writeValue(`${dir}/${leaf}/cgroup.procs`, pid);
      } catch (error) {
        throw new SessiondError('start_failed', `cannot move pid ${pid} into cgroup ${dir}/${leaf}: ${errnoOf(error)}`, { cause: error });
      }
    }
  }

  /** What the supervisor's init carries: where its children enter, and the freezer a pause uses. */
  childrenLeaf(): ChildrenLeaf {
    const via = this.support.freeze;
    return { procs: this.paths.map((dir) => `${dir}/${CHILDREN_LEAF}/cgroup.procs`), freezer: via ? { dir: this.freezerDir(), via } : null };
  }

  /** Every process in the group, in any of its hierarchies (zombies are not listed). */
  pids(): number[] {
    return [...new Set(this.paths.flatMap((dir) => treeProcs(dir)))].sort((a, b) => a - b);
  }

  /** Stops every process of the children leaf (pause), not the supervisor; not_supported where the host has no freezer (then SIGSTOP each). */
  async freeze(timeoutMs = 2000): Promise<void> {
    await freezeGroup(this.freezerDir(), this.support.freeze!, timeoutMs);
  }

  async thaw(timeoutMs = 2000): Promise<void> {
    await thawGroup(this.freezerDir(), this.support.freeze!, timeoutMs);
  }

  isFrozen(): boolean {
    return this.support.freeze !== null && isFrozen(this.freezerDir(), this.support.freeze);
  }

  /** SIGKILLs every process in the group; true once it is empty (see kill-all.ts). */
  async killAll(timeoutMs = 2000, warn?: (message: string) => void): Promise<boolean> {
    const killDir = this.support.kill === 'v2' ? this.dirs.get('unified')! : null;
    const v1FreezerDir = !killDir && this.support.freeze === 'v1' ? this.dirs.get('freezer')! : null;
    return killGroup({ killDir, v1FreezerDir, pids: () => this.pids(), ...(warn ? { warn } : {}) }, timeoutMs);
  }

  /** Memory and CPU time of the group as the kernel counts them; null fields where the host lacks the controller. */
  stats(): CgroupStats {
    return readStats(this.support, this.dirs);
  }

  /** Memory and CPU time only: what a `list` reads of every session, again and again. */
  usage(): CgroupUsage {
    return readUsage(this.support, this.dirs);
  }

  /** How many processes of the group the kernel's OOM killer has killed: a SIGKILLed child with a new count was one. */
  oomKills(): number {
    return readOomKills(this.support, this.dirs);
  }

  /** Removes the group's directories once its processes are gone; true when none is left. Never throws. */
  async remove(timeoutMs = 1000): Promise<boolean> {
    const removed = await Promise.all(this.paths.map((dir) => removeTree(dir, timeoutMs)));
    return removed.every(Boolean);
  }

  private freezerDir(): string {
    const via = this.support.freeze;
    if (!via) throw new SessiondError('not_supported', 'this host offers no cgroup freezer: stop the processes with SIGSTOP instead');
    return `${this.dirs.get(via === 'v2' ? 'unified' : 'freezer')!}/${CHILDREN_LEAF}`;
  }
}
