import { killGroups } from './kill.js';
import { runningMarked } from './marker.js';
import { readStat } from './proc.js';
import type { SessionRecord } from '../store/sessions.js';

/**
 * Stops what is still alive of a session's processes from an earlier daemon, so nothing runs
 * twice when it is brought back. A pid counts only with the same /proc start time as recorded:
 * never by pid alone, which the kernel may have given to an unrelated process since. Every such
 * process leads its own group, so the group's SIGKILL reaches its descendants too; those that
 * left the group carry the session's marker (see process/marker.ts).
 */
export async function stopLeftovers(record: Pick<SessionRecord, 'id' | 'supervisorPid' | 'supervisorStartTime' | 'children'>): Promise<number[]> {
  const pinned = [
    { pid: record.supervisorPid, startTime: record.supervisorStartTime },
    ...record.children.map((c) => ({ pid: c.pid, startTime: c.startTime })),
  ];
  const alive = pinned.flatMap(({ pid, startTime }) =>
    pid !== null && startTime !== null && readStat(pid)?.startTime === startTime ? [pid] : [],
  );
  // Descendants that left their group are found by the marker their environment carries.
  const marked = runningMarked({ session: record.id });
  if (alive.length || marked.length) await killGroups(alive, { session: record.id });
  return [...alive, ...marked];
}
