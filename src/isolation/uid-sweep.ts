import { readdirSync, statSync } from 'node:fs';
import { isRunning } from '../process/proc.js';

/**
 * SIGKILLs every process whose effective uid is `uid` and returns how many it signalled. An
 * isolated session's uid is its own, so whatever runs under it once the session is over is a
 * leftover, however it detached itself (setsid, double fork): the uid finds it all the same.
 */
export function killUid(uid: number): number {
  // Never root's or our own: a bug upstream must not turn into a kill of the host.
  if (uid === 0 || uid === process.geteuid?.()) throw new Error(`refusing to kill every process of uid ${uid}`);
  let killed = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (statSync(`/proc/${name}`, { throwIfNoEntry: false })?.uid !== uid) continue;
    if (!isRunning(Number(name))) continue; // exited: init reaps it
    try {
      process.kill(Number(name), 'SIGKILL');
      killed++;
    } catch {
      // Gone already (ESRCH); EPERM cannot happen to root, and a non-root daemon has no isolated sessions.
    }
  }
  return killed;
}
