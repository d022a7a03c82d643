import { readdirSync, readFileSync } from 'node:fs';
import { isRunning } from './proc.js';

/**
 * Every run of a session child carries SESSIOND_CHILD=<session>/<child>/<run> in its environment,
 * which its descendants inherit. A descendant that left its process group (setsid) and was
 * reparented when its parent died can be found by nothing else: neither the group nor the
 * parent links lead to it any more. (A cgroup or a child subreaper would, but Node has no
 * prctl, and cgroups need privileges a user's daemon lacks.)
 */
export const MARKER_VAR = 'SESSIOND_CHILD';

/** One run of one child of a session, or every child of it. */
export type RunMarker = { readonly session: string; readonly child: string; readonly run: number };
export type Marker = { readonly session: string } | RunMarker;

export function markerEnv(marker: RunMarker): Record<string, string> {
  return { [MARKER_VAR]: `${marker.session}/${marker.child}/${marker.run}` };
}

/** Running processes (this one aside) whose environment carries the marker, read from /proc/PID/environ. */
export function runningMarked(marker: Marker): number[] {
  return markedAmong(readdirSync('/proc').map(Number), marker);
}

/** Those of `pids` (this one aside) that run and carry the marker: a sweep that knows where to look reads no more. */
export function markedAmong(pids: readonly number[], marker: Marker): number[] {
  // A run: the whole entry must match (never the next run of that child); a session: any of its children.
  const needle = Buffer.from('child' in marker ? `\0${MARKER_VAR}=${marker.session}/${marker.child}/${marker.run}\0` : `\0${MARKER_VAR}=${marker.session}/`);
  const found: number[] = [];
  for (const pid of pids) {
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
