import { leafMembers, type ChildrenLeaf } from '../cgroup/children-leaf.js';
import { errorMessage } from '../contract/errors.js';
import type { ChildSpec } from '../contract/spec.js';
import { markerEnv, type RunMarker } from '../process/marker.js';
import { spawnProcess, type Spawned } from '../process/spawn-child.js';
import { killProcess, stopProcess } from '../process/stop.js';

/** Spawns one run of a child, its output piped (to its log), its environment carrying the run's marker. */
export function spawnRun(spec: ChildSpec, marker: RunMarker, nodeArgs: readonly string[], leaf: ChildrenLeaf | undefined): Spawned {
  const target = spec.file !== undefined ? { file: spec.file } : { command: spec.command! };
  const env = { ...spec.env, ...markerEnv(marker) };
  return spawnProcess(target, { args: spec.args, env, cwd: spec.cwd, stdin: spec.stdin ?? 'ignore', stdout: 'pipe', stderr: 'pipe', nodeArgs, leaf });
}

/**
 * The stop and the kill of one run, which never reject: a tree the supervisor may not signal
 * (EPERM: a process of another user in the child's group) is reported and the supervisor goes on;
 * the daemon's own kill of the session (its cgroup, as root) still reaches it.
 */
export async function stopRun(proc: Spawned, graceMs: number, marker: RunMarker, leaf: ChildrenLeaf | undefined): Promise<void> {
  await stopProcess(proc, graceMs, [], marker, leafMembers(leaf)).then(({ gone }) => gone || survived(marker), (error: unknown) => failed(marker, error));
}

export async function killRun(proc: Spawned, marker: RunMarker, leaf: ChildrenLeaf | undefined): Promise<void> {
  await killProcess(proc, [], marker, leafMembers(leaf)).then((gone) => gone || survived(marker), (error: unknown) => failed(marker, error));
}

function survived(marker: RunMarker): void {
  warn(`processes of child ${marker.child} (run ${marker.run}) survived SIGKILL`);
}

function failed(marker: RunMarker, error: unknown): void {
  warn(`could not kill every process of child ${marker.child} (run ${marker.run}): ${errorMessage(error)}; the daemon's stop of the session will`);
}

// The supervisor's stderr is the daemon's log of it.
function warn(text: string): void {
  process.stderr.write(`session-supervisor: ${text}\n`);
}
