import { markedAmong, type Marker } from './marker.js';
import { allStats, readStat, runningDescendants, runs } from './proc.js';

/** Sends a signal to a whole process group; a group that is already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  // kill(-0) is our own group and kill(-(-1)) is init: no pgid of ours is ever either.
  if (!Number.isInteger(pgid) || pgid <= 1) throw new RangeError(`signalGroup: ${pgid} is no process group of a session`);
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export function signalPid(pid: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGKILLs pid, every descendant found from it and its group, at once. The tree is read from /proc
 * before any signal: a dead parent's children are re-parented at once and could no longer be found
 * from it. (tree-kill, used here before, forks `ps` per level of the tree: eleven orphaned
 * supervisors doing so at once on 2 cores took ~0.5 s to exit, where this takes a read of /proc.)
 */
export function killTree(pid: number, extraGroups: readonly number[] = []): void {
  const tree = runningDescendants(pid);
  for (const group of [pid, ...extraGroups]) signalGroup(group, 'SIGKILL');
  signalPid(pid, 'SIGKILL');
  for (const descendant of tree) signalPid(descendant, 'SIGKILL');
}

/**
 * SIGKILLs every running member of the groups, and every process carrying `marker`, until none
 * is left; false if some survive timeoutMs (a process in uninterruptible sleep). The loop only
 * waits out the kernel's delivery of SIGKILL. `among`: the pids that hold every process of the
 * groups and the marker (a cgroup's members); without it, all of /proc is read, once a round.
 */
export async function killGroups(pgids: readonly number[], marker?: Marker, among?: () => number[], timeoutMs = 2000): Promise<boolean> {
  for (const pgid of pgids) signalGroup(pgid, 'SIGKILL');
  return killRemaining(pgids, marker, among, timeoutMs);
}

/** killGroups' loop, for a caller that has signalled the groups already, its own way (exec-sweep.ts). */
export async function killRemaining(pgids: readonly number[], marker: Marker | undefined, among: (() => number[]) | undefined, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = runningOf(pgids, marker, among);
    if (left.length === 0) return true;
    if (Date.now() > deadline) return false;
    for (const pid of left) signalPid(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function runningOf(pgids: readonly number[], marker: Marker | undefined, among: (() => number[]) | undefined): number[] {
  const stats = among ? among().flatMap((pid) => readStat(pid) ?? []) : allStats();
  const running = stats.filter(runs);
  const left = new Set(running.filter((s) => pgids.includes(s.pgrp)).map((s) => s.pid));
  if (marker) for (const pid of markedAmong(running.map((s) => s.pid), marker)) left.add(pid);
  return [...left];
}
