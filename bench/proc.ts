// What the bench reads from /proc: whether a pid is gone (a zombie whose threads have all exited counts as gone) and memory.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The process's state letter from /proc/PID/stat (R running, S sleeping, Z zombie…); null when it is gone. */
export function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

/** True once the process has exited: no /proc entry, or a zombie waiting to be reaped whose every thread has exited (src/process/proc.ts, runs). */
export function isGone(pid: number): boolean {
  const state = procState(pid);
  if (state === null) return true;
  if (state !== 'Z' && state !== 'X') return false;
  try {
    return readdirSync(`/proc/${pid}/task`).length <= 1;
  } catch {
    return true;
  }
}

/**
 * Whether the processes are idle: each asleep, and none used CPU over `windowMs`. How the bench
 * tells from outside that a spare has finished loading.
 */
export async function quiescent(pids: readonly number[], windowMs = 30): Promise<boolean> {
  const before = pids.map(cpuMs);
  await sleep(windowMs);
  return pids.every((pid, i) => procState(pid) === 'S' && before[i] !== null && cpuMs(pid) === before[i]);
}

/**
 * Polls /proc every `intervalMs` until every pid is gone; resolves with the time that took
 * (ms since `since`), or null past `timeoutMs`. The bench is an observer here, not the
 * parent: polling is the only way it can see another process's children die.
 */
export async function waitGone(pids: readonly number[], since: number, timeoutMs: number, intervalMs = 1): Promise<number | null> {
  const deadline = since + timeoutMs;
  let left = pids.filter((pid) => !isGone(pid));
  while (left.length > 0) {
    if (performance.now() > deadline) return null;
    await sleep(intervalMs);
    left = left.filter((pid) => !isGone(pid));
  }
  return performance.now() - since;
}

/** CPU time the process has used so far (ms, every thread's, from schedstat's ns); null when it is gone. */
export function cpuMs(pid: number): number | null {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    return tasks.reduce((sum, tid) => sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]), 0) / 1e6;
  } catch {
    return null;
  }
}

export interface Memory {
  readonly rss: number;
  readonly pss: number;
}

/** RSS and PSS in bytes from /proc/PID/smaps_rollup; null when the process is gone. */
export function memoryOf(pid: number): Memory | null {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
    return { rss: field('Rss'), pss: field('Pss') };
  } catch {
    return null;
  }
}

/** PSS summed over processes: what they cost the machine together, shared pages split fairly. */
export function totalPss(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (memoryOf(pid)?.pss ?? 0), 0);
}

/** A process as first seen: its pid and start time, so a reused pid is never signalled. */
export interface ProcRef {
  readonly pid: number;
  readonly start: string;
}

function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function procRef(pid: number): ProcRef | null {
  const start = startTime(pid);
  return start === null ? null : { pid, start };
}

/** SIGKILLs whichever of these processes is still the one first seen: the last resort of every cleanup. */
export function killAll(refs: Iterable<ProcRef>): void {
  for (const { pid, start } of refs) {
    if (startTime(pid) !== start) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Remembers processes to SIGKILL at cleanup if they outlive their system. */
export class Leftovers {
  private readonly refs = new Map<number, ProcRef>();

  add(pids: Iterable<number>): void {
    for (const pid of pids) {
      const ref = procRef(pid);
      if (ref) this.refs.set(pid, ref);
    }
  }

  killAll(): void {
    killAll(this.refs.values());
    this.refs.clear();
  }
}

/**
 * The last safety net: SIGKILLs every process (but this one) whose environment holds
 * `key=value`. The bench sets a run-unique marker in its own environment, which every process
 * it starts inherits (daemons, supervisors, workers), so a worker whose daemon died mid-start
 * is found too. Returns how many it killed.
 */
export function sweepByEnv(key: string, value: string): number {
  const needle = `${key}=${value}\0`;
  let killed = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (!environ.startsWith(needle) && !environ.includes(`\0${needle}`)) continue;
      process.kill(pid, 'SIGKILL');
      killed += 1;
    } catch {
      // gone, or not ours to read
    }
  }
  return killed;
}
