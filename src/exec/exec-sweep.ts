import { leafMembers, type ChildrenLeaf } from '../cgroup/children-leaf.js';
import { killRemaining, signalGroup } from '../process/kill.js';
import type { RunMarker } from '../process/marker.js';

const SWEEP_MS = 2000;

/**
 * SIGKILLs whatever an ended exec left, once its caller has SIGKILLed its process group
 * (signalGroupIfAllowed): what is still in the group, and any process carrying its run's marker
 * (one that left the group with setsid). With the session's children leaf, where every exec is
 * born and no process of it can leave, only the leaf's few pids are read; without one, all of
 * /proc is. A scan of /proc per exec would block the supervisor's loop under many execs at once,
 * long enough to miss the daemon's heartbeats.
 */
export async function sweepExec(pid: number, marker: RunMarker, leaf: ChildrenLeaf | undefined): Promise<void> {
  await killRemaining(pid > 0 ? [pid] : [], marker, leafMembers(leaf), SWEEP_MS);
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
