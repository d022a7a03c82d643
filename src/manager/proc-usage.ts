import { readFileSync } from 'node:fs';
import type { SessionStats } from '../contract/session.js';
import type { ProcStat } from '../process/proc.js';

// USER_HZ, the unit of the times in /proc/PID/stat: 100 on every Linux architecture Node runs on.
const TICKS_PER_SECOND = 100;

/**
 * CPU % and memory of processes from their /proc/PID/stat lines, read together with everything
 * else sessiond reads there, so no file stays open: pidusage's Linux reader keeps one open per
 * pid it has sampled, for a minute and more after the process is gone. CPU is counted as
 * pidusage counts it: the share of one core since the last sample of the same process (since
 * its start on the first).
 */
export class ProcUsage {
  private readonly last = new Map<number, { readonly startTime: number; readonly ticks: number; readonly uptime: number }>();
  private pageBytes: number | null = null;

  /** The summed usage of `pids`, from `stats` (one read of /proc) taken at `uptime` seconds since boot. */
  of(pids: Iterable<number>, stats: ReadonlyMap<number, ProcStat>, uptime: number): SessionStats {
    this.pageBytes ??= pageSize();
    let cpu = 0;
    let memory = 0;
    for (const pid of pids) {
      const stat = stats.get(pid);
      if (!stat) continue;
      const before = this.last.get(pid);
      const since = before && before.startTime === stat.startTime ? before : { ticks: 0, uptime: stat.startTime / TICKS_PER_SECOND };
      const seconds = uptime - since.uptime;
      if (seconds > 0) cpu += ((stat.cpuTicks - since.ticks) / TICKS_PER_SECOND / seconds) * 100;
      memory += stat.rssPages * this.pageBytes;
      this.last.set(pid, { startTime: stat.startTime, ticks: stat.cpuTicks, uptime });
    }
    return { cpu: Math.round(cpu * 10) / 10, memory };
  }

  /** Drops what it remembers of processes gone (or whose pid now names another process). */
  forget(stats: ReadonlyMap<number, ProcStat>): void {
    for (const [pid, { startTime }] of this.last) if (stats.get(pid)?.startTime !== startTime) this.last.delete(pid);
  }
}

/** Seconds since boot, the clock of /proc/PID/stat's start times. */
export function uptimeSeconds(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}

// Node does not tell the page size: /proc tells this process's resident size both in pages and in kB.
function pageSize(): number {
  try {
    const pages = Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]);
    const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    const size = 2 ** Math.round(Math.log2((kib * 1024) / pages));
    return Number.isFinite(size) && size >= 4096 ? size : 4096;
  } catch {
    return 4096;
  }
}
