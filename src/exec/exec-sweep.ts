import { leafMembers, type ChildrenLeaf } from '../cgroup/children-leaf.js';
import { killGroups, signalGroup, signalPid } from '../process/kill.js';
import { markedAmong, type RunMarker } from '../process/marker.js';
import { readStat } from '../process/proc.js';

const SWEEP_MS = 2000;

/**
 * SIGKILLs whatever an ended exec left: its process group, and any process carrying its run's
 * marker (one that left the group with setsid). With the session's children leaf, where every
 * exec is born and no process of it can leave, only the leaf's few pids are read; without one,
 * all of /proc is (killGroups). A scan of /proc per exec would block the supervisor's loop
 * under many execs at once, long enough to miss the daemon's heartbeats.
 */
export async function sweepExec(pid: number, marker: RunMarker, leaf: ChildrenLeaf | undefined): Promise<void> {
  const members = leafMembers(leaf);
  if (!members) return void (await killGroups(pid > 0 ? [pid] : [], marker));
  if (pid > 0) signalGroupIfAllowed(pid);
  const deadline = Date.now() + SWEEP_MS;
  for (;;) {
    const pids = members();
    const inGroup = pid > 0 ? pids.filter((p) => isGroupMember(p, pid)) : [];
    const left = [...new Set([...inGroup, ...markedAmong(pids, marker)])];
    if (left.length === 0 || Date.now() > deadline) return;
    for (const p of left) signalPid(p, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function isGroupMember(pid: number, pgid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X';
}

/**
 * SIGKILLs an exec's group; a member the supervisor may not signal (EPERM: it took another uid
 * through a setuid program) is left to the daemon's kill of the session, never an error here.
 */
export function signalGroupIfAllowed(pgid: number): void {
  try {
    signalGroup(pgid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    process.stderr.write(`session-supervisor: could not kill every process of exec group ${pgid}: EPERM; the daemon's stop of the session will\n`);
  }
}
