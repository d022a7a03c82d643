import { existsSync } from 'node:fs';
import pidusage from 'pidusage';
import type { SessionStats } from '../contract/session.js';
import { allStats, readStat, runningBy, type ProcStat } from '../process/proc.js';
import { ProcUsage, uptimeSeconds } from './proc-usage.js';

/** cpu % and memory bytes summed over pids by pidusage; a pid that exits meanwhile counts for nothing. */
export async function statsOf(pids: readonly number[]): Promise<SessionStats> {
  const results = await Promise.allSettled(pids.map((pid) => pidusage(pid)));
  let cpu = 0;
  let memory = 0;
  for (const result of results) {
    if (result.status !== 'fulfilled') continue;
    cpu += result.value.cpu;
    memory += result.value.memory;
  }
  return { cpu: Math.round(cpu * 10) / 10, memory };
}

export const NO_STATS: SessionStats = { cpu: 0, memory: 0 };

/** How long a session's sampled stats are served before they are sampled again. */
export const STATS_TTL_MS = 1000;

/**
 * How long one read of all /proc serves the sessions sampled after it: a burst of creates, each
 * answered with its session's stats, reads /proc once rather than once per create (a read of
 * every process on the machine, while hundreds are starting). A leader started since is read on
 * its own; what it started since counts from the next read.
 */
export const SCAN_REUSE_MS = 500;

// Where /proc is, the sampler reads it itself (no fd held); elsewhere pidusage samples the leaders.
const HAS_PROCFS = existsSync('/proc/self/stat');

/**
 * Samples the stats of sessions at most once a second each, as `top` refreshes: a `list` of two
 * hundred sessions, asked for again and again, does not read /proc for four hundred processes
 * every time. A session's stats sum its leaders (supervisor, children) and every process in the
 * children's groups and in the groups of the supervisor's execs, so grandchildren count too, all
 * from one read of /proc. Entries go with their session (a WeakMap), and what the sampler knows
 * of a process goes with it.
 */
export class StatsSampler<S extends object> {
  private readonly sampled = new WeakMap<S, { at: number; stats: SessionStats }>();
  private readonly usage = new ProcUsage();
  private scan: { at: number; uptime: number; stats: Map<number, ProcStat>; groups: Map<number, number[]>; children: Map<number, number[]> } | null = null;

  constructor(
    private readonly leadersOf: (session: S) => readonly number[],
    /** A session's stats read elsewhere (its cgroup's counters), or null to sample its processes. */
    private readonly direct: (session: S) => SessionStats | null = () => null,
  ) {}

  async of(sessions: readonly S[]): Promise<Map<S, SessionStats>> {
    const now = Date.now();
    const result = new Map<S, SessionStats>();
    const stale: S[] = [];
    for (const session of sessions) {
      const cached = this.sampled.get(session);
      if (!this.leadersOf(session).length) result.set(session, NO_STATS);
      else if (cached && now - cached.at < STATS_TTL_MS) result.set(session, cached.stats);
      else stale.push(session);
    }
    if (!stale.length) return result;
    const counted = stale.map((session) => this.direct(session));
    const sampled = stale.filter((_, i) => counted[i] === null);
    const fresh = !sampled.length ? [] : HAS_PROCFS ? this.fromProc(sampled, now) : await Promise.all(sampled.map((session) => statsOf(this.leadersOf(session))));
    let next = 0;
    stale.forEach((session, i) => {
      const stats = counted[i] ?? fresh[next++]!;
      this.sampled.set(session, { at: now, stats });
      result.set(session, stats);
    });
    return result;
  }

  private fromProc(sessions: readonly S[], now: number): SessionStats[] {
    const { stats, groups, children, uptime } = this.read(sessions.flatMap((session) => this.leadersOf(session)), now);
    // A leader's group, and the group of each process it started in a group of its own (the supervisor's execs).
    const members = (pid: number) => groups.get(pid) ?? [pid];
    const sampled = sessions.map((session) => {
      const leaders = this.leadersOf(session);
      const pids = new Set(leaders.flatMap((leader) => [leader, ...(children.get(leader) ?? [])].flatMap(members)));
      return this.usage.of(pids, stats, uptime);
    });
    this.usage.forget(stats);
    return sampled;
  }

  private read(leaders: readonly number[], now: number) {
    if (!this.scan || now - this.scan.at >= SCAN_REUSE_MS) {
      const stats = new Map(allStats().map((stat) => [stat.pid, stat]));
      this.scan = { at: now, uptime: uptimeSeconds(), stats, groups: runningBy('pgrp', stats.values()), children: runningBy('ppid', stats.values()) };
      return this.scan;
    }
    for (const pid of leaders) {
      if (this.scan.stats.has(pid)) continue;
      const stat = readStat(pid);
      if (stat) this.scan.stats.set(pid, stat);
    }
    return this.scan;
  }
}
