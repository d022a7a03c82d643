import { signalPid } from '../process/kill.js';
import { allStats, runningBy, type ProcStat } from '../process/proc.js';
import { RssSampler } from '../limits/rss-sampler.js';
import { memoryVerdict } from '../limits/watchdog.js';

/** How often the watchdog samples a session: the contract asks for 500 ms at most; at 20 MiB per 100 ms this keeps the overshoot near 50 MiB. */
export const WATCHDOG_EVERY_MS = 250;

export interface WatchedSession {
  /** Every process of the session now (its cgroup's, or its leaders' process groups). */
  readonly pids: () => readonly number[];
  /** Never chosen: killing the supervisor would end the session, not bound it. */
  readonly supervisor: () => number | null;
  /** A paused session holds still: it is not sampled. */
  readonly paused: () => boolean;
  readonly warn: (message: string) => void;
}

/**
 * The daemon's memoryMax where the host has no memory cgroup: the session's processes are
 * sampled (RSS from /proc) and, past the limit, the largest one other than the supervisor is
 * SIGKILLed, as the kernel's OOM killer would choose. The pids it killed are remembered, so
 * that the child's exit is reported with `reason: memory`.
 */
export class MemoryWatchdog {
  private readonly sampler = new RssSampler();
  private readonly killed = new Set<number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly memoryMax: number,
    private readonly session: WatchedSession,
    everyMs = WATCHDOG_EVERY_MS,
  ) {
    this.timer = setInterval(() => this.check(), everyMs);
    this.timer.unref();
  }

  /** Whether the watchdog killed this pid (and forgets it: a pid exits once). */
  tookDown(pid: number | null): boolean {
    return pid !== null && this.killed.delete(pid);
  }

  /** The largest total seen in one sample (bytes). */
  get peak(): number {
    return this.sampler.peakTotal;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    if (this.session.paused()) return;
    try {
      const supervisor = this.session.supervisor();
      const spared = new Set(supervisor === null ? [] : [supervisor]);
      const { total, kill } = memoryVerdict(this.sampler.sample(this.session.pids()), this.memoryMax, spared);
      if (kill === null || spared.has(kill)) return;
      this.killed.add(kill);
      signalPid(kill, 'SIGKILL');
      this.session.warn(`memory watchdog: the session's processes held ${total} bytes, past memoryMax ${this.memoryMax}: SIGKILLed pid ${kill}, the largest`);
    } catch (error) {
      // A /proc read that fails this time is tried again at the next sample.
      this.session.warn(`memory watchdog: a sample failed: ${String(error)}`);
    }
  }
}

/** The leaders (supervisor, children) and every running member of their process groups, from one read of /proc (`stats`). */
export function membersOf(leaders: readonly number[], stats: readonly ProcStat[] = allStats()): number[] {
  const groups = runningBy('pgrp', stats);
  return [...new Set(leaders.flatMap((pid) => groups.get(pid) ?? [pid]))];
}
