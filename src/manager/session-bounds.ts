import type { ChildrenLeaf } from '../cgroup/children-leaf.js';
import { delegateLeafEntry } from '../isolation/leaf-entry.js';
import { enforcementOf, needsWatchdog, noCgroups, SessionCgroup, supportFor, type CgroupSupport } from '../cgroup/index.js';
import { errorMessage } from '../contract/errors.js';
import { longTimeout, type LongTimer } from '../contract/long-timer.js';
import type { Enforcement, ExitInfo, SessionStats } from '../contract/session.js';
import type { SessionSpec } from '../contract/spec.js';
import { hasLimits, type ResourceLimits } from '../limits/limits.js';
import { membersOf, MemoryWatchdog } from './memory-watchdog.js';
import { groupsUnder, SessionPause } from './pause.js';
import { allStats } from '../process/proc.js';

export interface BoundsOptions {
  /** What the daemon detected; none: every limit but memory is refused, memory is watched. */
  readonly cgroups: CgroupSupport;
  /** Give a session without limits its own group too (its stop then reaches every process it made). */
  readonly groupEverySession: boolean;
}

/** What the bounds read of their session's runtime. */
export interface BoundedSession {
  readonly supervisor: () => number | null;
  /** The supervisor and the running children (each the leader of its process group). */
  readonly leaders: () => readonly number[];
  readonly warn: (message: string) => void;
}

export const NO_BOUNDS: BoundsOptions = { cgroups: noCgroups('the session manager was given no cgroups (sessiond detects them when it starts)'), groupEverySession: false };

/**
 * What bounds one session: its cgroup (created before its supervisor gets init, so every child
 * is born inside), the memory watchdog where the host has no memory controller, the ttl timer,
 * pause, and the stats the kernel counts. The runtime calls it at its steps: prepare → enter →
 * watch → (exitReason, stats, pause) → beforeStop → release.
 */
export class SessionBounds {
  readonly pause: SessionPause;
  private group: SessionCgroup | null = null;
  /** The group is a spare's, its processes inside already: the directories its processes still go into (its limits added them). */
  private added: string[] | null = null;
  /** A spare's group the session does not use: dropped once its processes are out. */
  private leftover: SessionCgroup | null = null;
  /** Whether the session gets a group (false once making it failed; still true once it is removed). */
  private grouped: boolean;
  private watchdog: MemoryWatchdog | null = null;
  private ttl: LongTimer | null = null;
  private oomSeen = 0;
  private cpu: { at: number; usageUs: number } = { at: 0, usageUs: 0 };
  private readonly limits: ResourceLimits;

  constructor(
    private readonly spec: SessionSpec,
    private readonly options: BoundsOptions,
    private readonly session: BoundedSession,
  ) {
    this.limits = { memoryMax: spec.memoryMax ?? null, cpuMax: spec.cpuMax ?? null, maxProcesses: spec.maxProcesses ?? null };
    this.grouped = options.cgroups.mode !== 'none' && (options.groupEverySession || hasLimits(this.limits));
    this.pause = new SessionPause(
      () => this.group,
      () => {
        const supervisor = session.supervisor();
        return { supervisor, groups: groupsUnder(supervisor, session.leaders()) };
      },
    );
  }

  /** `limits.enforcement` of the session JSON. */
  get enforcement(): Enforcement {
    return enforcementOf(this.support(), this.limits);
  }

  /**
   * The session's group. A spare's (made while it idled, its processes inside: spare-groups.ts)
   * becomes the session's if it has the session's name or can take it, with the session's limits
   * written. Else a group is created with the limits, and a spare's group is dropped once `enter`
   * has moved the processes out of it. A session without limits whose group cannot be made runs
   * without one (or in its spare's), with a warning; one with limits fails to start (start_failed,
   * with the kernel's errno).
   */
  prepare(spare: SessionCgroup | null = null): void {
    if (this.group) return;
    if (spare && !this.spec.isolation && this.adopt(spare)) return;
    this.leftover = spare;
    if (!this.grouped) return;
    try {
      this.group = SessionCgroup.create(supportFor(this.options.cgroups, this.limits), this.spec.id, this.limits);
      // An isolated session's children enter their leaf themselves, as its user (isolation/leaf-entry.ts).
      if (this.spec.isolation) delegateLeafEntry(this.group.childrenLeaf(), this.spec.isolation);
    } catch (error) {
      if (hasLimits(this.limits)) throw error;
      // Its processes are in the spare's group already, if it has one: it stays there.
      if (spare) return void this.take(spare);
      this.grouped = false;
      this.session.warn(`session ${this.spec.id}: runs without a cgroup: ${errorMessage(error)}`);
      return;
    }
    this.cpu = { at: performance.now(), usageUs: 0 };
  }

  /**
   * Before the init: the supervisor into its leaf, a spare's Placeholder (spawned already) into the
   * children's; in a spare's group, they are there but for the hierarchies its limits added.
   */
  enter(supervisor: number, ...children: number[]): void {
    const dirs = this.added ?? this.group?.paths ?? [];
    if (!dirs.length) return this.dropLeftover();
    this.group!.addProcess(supervisor, 'supervisor', dirs);
    for (const pid of children) this.group!.addProcess(pid, 'children', dirs);
    this.dropLeftover();
  }

  // Its name is the session's (a person, and the tests, find a session's group by it): a spare's
  // of another name is renamed where the host can (v1), else not taken.
  private adopt(spare: SessionCgroup): boolean {
    let group: SessionCgroup | null = spare;
    try {
      if (spare.name !== this.spec.id) group = spare.renamed(this.spec.id);
    } catch (error) {
      this.session.warn(`session ${this.spec.id}: ${errorMessage(error)}; it gets a group of its own`);
      group = null;
    }
    if (!group) return false;
    // Owned from here: a limit refused now is a failed start, and the stop removes the group.
    this.take(group);
    const widened = group.widened(supportFor(this.options.cgroups, this.limits), this.limits);
    this.group = widened.group;
    this.added = widened.added;
    return true;
  }

  private take(group: SessionCgroup): void {
    this.group = group;
    this.added = [];
    this.leftover = null;
    this.grouped = true;
    // The group counted the spare's own start-up: the session's cpu % counts from now.
    this.cpu = { at: performance.now(), usageUs: group.usage().cpuUsageUs ?? 0 };
  }

  private dropLeftover(): void {
    const leftover = this.leftover;
    this.leftover = null;
    if (leftover) void leftover.release((message) => this.session.warn(`session ${this.spec.id}: its spare's cgroup: ${message}`));
  }

  /** What the supervisor's init carries of the group: the leaf its children enter (none without a group). */
  childrenLeaf(): { childrenLeaf?: ChildrenLeaf } {
    return this.group ? { childrenLeaf: this.group.childrenLeaf() } : {};
  }

  /** Starts the memory watchdog if the session needs one, and the ttl timer (counted from createdAt). */
  watch(createdAt: string, expire: (ms: number) => void): void {
    const { memoryMax } = this.limits;
    if (memoryMax !== null && needsWatchdog(this.support(), this.limits) && !this.watchdog) {
      // Without a group: the supervisor, and every group of what it started (children and execs), from one read of /proc.
      const pids = () => {
        if (this.group) return this.group.pids();
        const stats = allStats();
        return membersOf([...this.session.leaders(), ...groupsUnder(this.session.supervisor(), [], stats)], stats);
      };
      this.watchdog = new MemoryWatchdog(memoryMax, { pids, supervisor: this.session.supervisor, paused: () => this.pause.suspended, warn: this.session.warn });
    }
    const ttlMs = this.spec.ttlMs ?? null;
    if (ttlMs !== null && !this.ttl) {
      const left = Math.max(0, Date.parse(createdAt) + ttlMs - Date.now());
      this.ttl = longTimeout(() => expire(ttlMs), left);
    }
  }

  /** `memory` when the child that exited (its last pid) was killed for memory: by the watchdog, or by the kernel in its group. */
  exitReason(pid: number | null, exit: Pick<ExitInfo, 'signal'>): 'memory' | null {
    if (this.watchdog?.tookDown(pid)) return 'memory';
    if (!this.group || exit.signal !== 'SIGKILL') return null;
    const kills = this.group.oomKills();
    if (kills <= this.oomSeen) return null;
    this.oomSeen = kills;
    return 'memory';
  }

  /** The session's memory (as its limit counts it) and cpu % since the last read, from the group; null without both counters. */
  stats(): SessionStats | null {
    if (!this.group) return null;
    const { memoryBytes, cpuUsageUs } = this.group.usage();
    if (memoryBytes === null || cpuUsageUs === null) return null;
    const now = performance.now();
    const elapsedUs = (now - this.cpu.at) * 1000;
    const cpu = elapsedUs > 0 ? ((cpuUsageUs - this.cpu.usageUs) / elapsedUs) * 100 : 0;
    this.cpu = { at: now, usageUs: cpuUsageUs };
    return { cpu: Math.max(0, Math.round(cpu * 10) / 10), memory: memoryBytes };
  }

  /** First step of every stop: no more sampling or ttl, and a paused session continued, so SIGTERM reaches handlers that run. */
  async beforeStop(): Promise<void> {
    this.stopTimers();
    await this.pause.resume().catch((error: unknown) => this.session.warn(`session ${this.spec.id}: continuing it before its stop failed: ${errorMessage(error)}`));
  }

  /** Last step of every stop: what is left in the group is SIGKILLed, the group removed; never rejects (the stop must finish). */
  async release(): Promise<void> {
    this.stopTimers();
    this.dropLeftover();
    const group = this.group;
    if (!group) return;
    this.group = null;
    await group.release((message) => this.session.warn(`session ${this.spec.id}: ${message}`));
  }

  // What enforces this session's limits: the host's cgroups if it has a group, else nothing but the watchdog.
  private support(): CgroupSupport {
    return this.grouped ? this.options.cgroups : NO_BOUNDS.cgroups;
  }

  private stopTimers(): void {
    this.watchdog?.stop();
    this.ttl?.cancel();
    this.ttl = null;
  }
}
