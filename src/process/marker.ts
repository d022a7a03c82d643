import { readdirSync, readFileSync } from 'node:fs';
import { isRunning } from './proc.js';

/**
 * Every session child gets SIGKILL-able identity in its environment, SESSIOND_CHILD=<session>/<child>,
 * which its descendants inherit. A descendant that left its process group (setsid) and was
 * reparented when its parent died can be found by nothing else: neither the group nor the
 * parent links lead to it any more. (A cgroup or a child subreaper would, but Node has no
 * prctl, and cgroups need privileges a user's daemon lacks.)
 */
export const MARKER_VAR = 'SESSIOND_CHILD';

/** One child of a session, or every child of it. */
export interface Marker {
  readonly session: string;
  readonly child?: string;
}

export function markerEnv(session: string, child: string): Record<string, string> {
  return { [MARKER_VAR]: `${session}/${child}` };
}

/** Running processes (this one aside) whose environment carries the marker, read from /proc/PID/environ. */
export function runningMarked(marker: Marker): number[] {
  const value = `${MARKER_VAR}=${marker.session}/${marker.child ?? ''}`;
  // With a child the whole entry must match; without, every child of the session does.
  const needle = Buffer.from(marker.child === undefined ? `\0${value}` : `\0${value}\0`);
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue; // gone, or another user's
    }
    if (Buffer.concat([Buffer.of(0), environ, Buffer.of(0)]).includes(needle) && isRunning(pid)) found.push(pid);
  }
  return found;
}
