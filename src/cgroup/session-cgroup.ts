import { renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
    group.make(group.paths, limits);
    return group;
  }

  /**
   * This group (a spare's) over the hierarchies of `support`, with `limits` written: the
   * directories of hierarchies it lacks (a v1 cpu one, for cpuMax) are made, and listed in
   * `added`: its processes must still go there (addProcess). Throws as create does.
   */
  widened(support: CgroupSupport, limits: ResourceLimits): { group: SessionCgroup; added: string[] } {
    const group = SessionCgroup.at(support, this.name, basename(this.paths[0]!));
    const added = group.paths.filter((dir) => !this.paths.includes(dir));
    group.make(added, limits);
    return { group, added };
  }

  // Makes `dirs` (of this group's), each with its two leaves, then writes the limits; on a failure, what it made goes.
  private make(dirs: readonly string[], limits: ResourceLimits): void {
    const writes = limitWrites(this.support, limits);
    const made: string[] = [];
    try {
      for (const dir of dirs) {
        // A group left empty by an earlier run with this name would keep that run's limits.
        if (!makeGroup(dir)) {
          if (treeProcs(dir).length) throw new SessiondError('already_exists', `cgroup ${dir} already exists and holds processes`);
          removeTreeSync(dir);
          makeGroup(dir);
        }
        made.push(dir);
        // v2 has no internal processes: the session's group hands pids down to its leaves, and holds none.
        if (dir === this.dirs.get('unified') && this.support.pids === 'v2') enable(dir, 'pids');
        for (const leaf of [SUPERVISOR_LEAF, CHILDREN_LEAF]) makeGroup(`${dir}/${leaf}`);
      }
      for (const { hierarchy, leaf, file, value, optional } of writes) {
        const path = `${this.dirs.get(hierarchy)}${leaf ? `/${leaf}` : ''}/${file}`;
        try {
          writeValue(path, value);
        } catch (error) {
          if (!(optional && errnoOf(error) === 'ENOENT')) throw new SessiondError('start_failed', `cannot set ${path} to ${value}: ${errnoOf(error)}`, { cause: error });
        }
      }
    } catch (error) {
      for (const dir of made) removeTreeSync(dir);
      if (error instanceof SessiondError) throw error;
      throw new SessiondError('start_failed', `cannot create cgroup ${this.name}: ${errnoOf(error)}`, { cause: error });
    }
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

  /**
   * The same group, with what it holds, under another name (a spare's, taken by a session of
   * another id): rename(2) of its directory in each hierarchy, within its parent. Null where the
   * group is in the v2 hierarchy, which refuses renames (EPERM: the kernel offers rename on v1
   * alone); on a failure the directories renamed so far go back, and it throws.
   */
  renamed(name: string): SessionCgroup | null {
    if (this.dirs.has('unified')) return null;
    const dirName = groupDirName(name);
    const done: [string, string][] = [];
    try {
      for (const dir of this.paths) {
        const to = join(dirname(dir), dirName);
        renameSync(dir, to);
        done.push([dir, to]);
      }
    } catch (error) {
      for (const [from, to] of done.reverse()) renameSync(to, from);
      throw new SessiondError('start_failed', `cannot rename cgroup ${this.name} to ${name}: ${errnoOf(error)}`, { cause: error });
    }
    return SessionCgroup.at(this.support, name, dirName);
  }

  /** The group's directories, one per hierarchy used (co-mounted controllers share one). */
  get paths(): string[] {
    return [...new Set(this.dirs.values())];
  }

  /**
   * Moves a process (with its threads) into one of the group's leaves in every hierarchy (or in
   * `dirs` of them); what it forks after stays there. The daemon moves the supervisor (and a spare's Placeholder, spawned
   * before its session); the supervisor's children enter theirs themselves (children-leaf.ts).
   */
  addProcess(pid: number, leaf: typeof SUPERVISOR_LEAF | typeof CHILDREN_LEAF = SUPERVISOR_LEAF, dirs: readonly string[] = this.paths): void {
    for (const dir of dirs) {
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

  /**
   * The end of a group: what it holds SIGKILLed, its directories removed; what fails is told to
   * `warn` and left to the next daemon start's sweep. Never rejects.
   */
  async release(warn: (message: string) => void): Promise<void> {
    try {
      if (!(await this.killAll(2000, warn))) warn(`processes ${this.pids().join(', ')} outlived the SIGKILL of cgroup ${this.name}`);
      if (!(await this.remove())) warn(`cgroup ${this.paths.join(', ')} could not be removed yet; the next daemon start sweeps it`);
    } catch (error) {
      warn(`releasing cgroup ${this.name} failed (${errnoOf(error)}); the next daemon start sweeps it`);
    }
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
