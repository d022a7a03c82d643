import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { isRunning } from './proc.js';

/**
 * Every run of a session child carries SUPERVISED_RUN=<session>/<child>/<run> in its environment,
 * which its descendants inherit. A descendant that left its process group (setsid) and was
 * reparented when its parent died can be found by nothing else: neither the group nor the
 * parent links lead to it any more. (A cgroup or a child subreaper would, but Node has no
 * prctl, and cgroups need privileges a user's daemon lacks.) Its name is not SESSIOND_*: that
 * prefix is the daemon's environment, of which nothing reaches an isolated session's children.
 */
export const MARKER_VAR = 'SUPERVISED_RUN';

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
  const entry = 'child' in marker ? `${MARKER_VAR}=${marker.session}/${marker.child}/${marker.run}\0` : `${MARKER_VAR}=${marker.session}/`;
  const inside = Buffer.from(`\0${entry}`);
  const first = Buffer.from(entry);
  const found: number[] = [];
  for (const pid of pids) {
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const environ = readEnviron(pid);
    if (!environ) continue; // gone, or another user's
    const carries = environ.subarray(0, first.length).equals(first) || environ.includes(inside);
    if (carries && isRunning(pid)) found.push(pid);
  }
  return found;
}

// One buffer for every read, as proc.ts's stat reads: a scan reads one environ per process, and
// readFileSync would stat the file and allocate for each. Larger ones (rare) are read whole.
const buffer = Buffer.allocUnsafe(64 * 1024);

function readEnviron(pid: number): Buffer | null {
  try {
    return readWhole(`/proc/${pid}/environ`);
  } catch (error) {
    // ESRCH: a zombie, or a process whose main thread has exited while others run on (proc.ts,
    // runs), whose environment is read through one of them. Anything else: gone, or not ours.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') return null;
  }
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  for (const task of tasks) {
    if (task === String(pid)) continue;
    try {
      return readWhole(`/proc/${pid}/task/${task}/environ`);
    } catch {
      // that thread has exited meanwhile
    }
  }
  return null;
}

function readWhole(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return length < buffer.length ? buffer.subarray(0, length) : readFileSync(file);
  } finally {
    closeSync(fd);
  }
}
