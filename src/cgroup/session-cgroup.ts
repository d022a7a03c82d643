import { SessiondError } from '../contract/errors.js';
import { NO_LIMITS, type ResourceLimits } from '../limits/limits.js';
import { errnoOf, makeGroup, removeGroupSync, writeValue } from './cgroup-fs.js';
import { freezeGroup, isFrozen, thawGroup } from './freezer.js';
import { removeTree, treeProcs } from './group-tree.js';
import { killGroup } from './kill-all.js';
import { limitWrites } from './limit-writes.js';
import { readStats, type CgroupStats } from './stats.js';
import type { CgroupSupport, Hierarchy } from './types.js';

/** Session ids are at most 128 characters of [A-Za-z0-9_.-]; a group name takes the same. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

/** A session's directory name under the parent: prefixed, so no name can be an interface file (`tasks`, `cgroup.procs`). */
export function groupDirName(name: string): string {
  if (!NAME.test(name)) throw new SessiondError('invalid_params', `cgroup name ${JSON.stringify(name)} must match ${NAME.source}`);
  return `s-${name}`;
}

/**
 * One session's group in every hierarchy the daemon uses (`<parent>/s-<name>`). Everything but
 * the waits is synchronous. No process of a session is ever outside: the daemon spawns the
 * supervisor (which forks nothing before init), calls `addProcess(supervisorPid)` (a write per
 * hierarchy, under a millisecond) and only then sends init, so every child is forked inside and
 * inherits the group; a warm spare is moved the same way when it is claimed. Memory the
 * supervisor touched before the move stays charged where it was (cgroups do not move charges),
 * so a session's usage counts what it allocates from then on.
 */
export class SessionCgroup {
  private constructor(
    readonly support: CgroupSupport,
    readonly name: string,
    private readonly dirs: ReadonlyMap<Hierarchy, string>,
  ) {}

  /** Creates the group with its limits; a limit the host cannot enforce is refused first (not_supported). */
  static create(support: CgroupSupport, name: string, limits: ResourceLimits = NO_LIMITS): SessionCgroup {
    const group = SessionCgroup.open(support, name);
    const writes = limitWrites(support, limits);
    const made: string[] = [];
    try {
      for (const dir of group.paths) {
        // A group left empty by an earlier run with this name would keep that run's limits.
        if (!makeGroup(dir)) {
          if (treeProcs(dir).length) throw new SessiondError('already_exists', `cgroup ${dir} already exists and holds processes`);
          removeGroupSync(dir);
          makeGroup(dir);
        }
        made.push(dir);
      }
      for (const { hierarchy, file, value, optional } of writes) {
        const path = `${group.dirs.get(hierarchy)}/${file}`;
        try {
          writeValue(path, value);
        } catch (error) {
          if (!(optional && errnoOf(error) === 'ENOENT')) throw new SessiondError('start_failed', `cannot set ${path} to ${value}: ${errnoOf(error)}`, { cause: error });
        }
      }
    } catch (error) {
      for (const dir of made) removeGroupSync(dir);
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

  /** Moves a process (with its threads) into the group in every hierarchy; what it forks after stays inside. */
  addProcess(pid: number): void {
    for (const dir of this.paths) {
      try {
        writeValue(`${dir}/cgroup.procs`, pid);
      } catch (error) {
        throw new SessiondError('start_failed', `cannot move pid ${pid} into cgroup ${dir}: ${errnoOf(error)}`, { cause: error });
      }
    }
  }

  /** Every process in the group, in any of its hierarchies (zombies are not listed). */
  pids(): number[] {
    return [...new Set(this.paths.flatMap((dir) => treeProcs(dir)))].sort((a, b) => a - b);
  }

  /** Stops every process of the group (pause); not_supported where the host has no freezer (then SIGSTOP each). */
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
  async killAll(timeoutMs = 2000): Promise<boolean> {
    const killDir = this.support.kill === 'v2' ? this.dirs.get('unified')! : null;
    const v1FreezerDir = !killDir && this.support.freeze === 'v1' ? this.dirs.get('freezer')! : null;
    return killGroup({ killDir, v1FreezerDir, pids: () => this.pids() }, timeoutMs);
  }

  /** Memory and CPU time of the group as the kernel counts them; null fields where the host lacks the controller. */
  stats(): CgroupStats {
    return readStats(this.support, this.dirs);
  }

  /** How many processes of the group the kernel's OOM killer has killed: a SIGKILLed child with a new count was one. */
  oomKills(): number {
    return this.stats().oomKills;
  }

  /** Removes the group's directories once its processes are gone; true when none is left. Never throws. */
  async remove(timeoutMs = 1000): Promise<boolean> {
    const removed = await Promise.all(this.paths.map((dir) => removeTree(dir, timeoutMs)));
    return removed.every(Boolean);
  }

  private freezerDir(): string {
    const via = this.support.freeze;
    if (!via) throw new SessiondError('not_supported', 'this host offers no cgroup freezer: stop the processes with SIGSTOP instead');
    return this.dirs.get(via === 'v2' ? 'unified' : 'freezer')!;
  }
}
