import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

/** What sessiond reads of a process from /proc/PID/stat. */
export interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  /** Start time in clock ticks since boot: with the pid, it names one process for good. */
  readonly startTime: number;
  /** CPU time used so far (user + system), in clock ticks. */
  readonly cpuTicks: number;
  /** Resident set size, in pages. */
  readonly rssPages: number;
}

// One buffer for every read: a stat line is a few hundred bytes (the command name at most 16), and
// readFileSync would stat the file and grow a buffer of its own each time, at 2–3× the cost; a
// scan of /proc reads one per process. Latin-1 keeps byte offsets; the fields we read are ASCII.
const buffer = Buffer.allocUnsafe(4096);

function readStatText(pid: number): string {
  const fd = openSync(`/proc/${pid}/stat`, 'r');
  try {
    return buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

// The command name (field 2) may hold spaces and parentheses, so fields are counted from the last ')'.
export function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readStatText(pid);
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    startTime: Number(fields[19]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    rssPages: Number(fields[21]),
  };
}

/** Running means alive and not a zombie: a zombie left for init to reap counts as gone. */
export function isRunning(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && runs(stat);
}

/**
 * Whether a process read from /proc still runs. /proc's state is its main thread's: a zombie is
 * gone unless other threads of it still run. Those hold its memory and files (a listening socket,
 * a lock) until the last one exits: a few ms for a SIGKILLed Node (its thread pool), for good for a
 * process whose main thread exited alone (test/fixtures/lone-thread.py).
 */
export function runs(stat: ProcStat): boolean {
  if (stat.state !== 'Z' && stat.state !== 'X') return true;
  try {
    return readdirSync(`/proc/${stat.pid}/task`).length > 1;
  } catch {
    return false; // reaped meanwhile
  }
}

export function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat) stats.push(stat);
  }
  return stats;
}

/** Running members of a process group. */
export function runningInGroup(pgid: number): number[] {
  try {
    process.kill(-pgid, 0);
  } catch {
    return []; // ESRCH: not even a zombie is left in the group
  }
  return runningBy('pgrp').get(pgid) ?? [];
}

/** Running processes (zombies aside) by their process group or their parent, from one read of /proc. */
export function runningBy(key: 'pgrp' | 'ppid', stats: Iterable<ProcStat> = allStats()): Map<number, number[]> {
  const by = new Map<number, number[]>();
  for (const stat of stats) {
    if (!runs(stat)) continue;
    const list = by.get(stat[key]);
    if (list) list.push(stat.pid);
    else by.set(stat[key], [stat.pid]);
  }
  return by;
}

/** Running descendants of pid (not pid itself), found through parent links (a zombie has no children left: they were re-parented). */
export function runningDescendants(pid: number): number[] {
  const children = runningBy('ppid');
  const found: number[] = [];
  const stack = [pid];
  while (stack.length) {
    for (const child of children.get(stack.pop()!) ?? []) {
      found.push(child);
      stack.push(child);
    }
  }
  return found;
}
