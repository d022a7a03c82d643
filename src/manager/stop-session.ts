import type { ExitInfo } from '../contract/session.js';
import { DEFAULTS, type SessionSpec } from '../contract/spec.js';
import { killGroups } from '../process/kill.js';
import type { Spawned } from '../process/spawn.js';
import { killProcess, stopProcess } from '../process/stop.js';
import { errorMessage } from '../contract/errors.js';
import type { SessionBounds } from './session-bounds.js';
import { isGraceful, type StopCause } from './session-machine.js';

/**
 * The daemon waits this much longer than the supervisor's own deadline before it SIGKILLs every
 * tree itself, so that a supervisor stopping a SIGTERM-ignoring child still reports its exit.
 */
export const STOP_MARGIN_MS = 300;

/** How long a supervisor gets after SIGTERM: its children's longest shutdownMs, plus the margin. */
export function supervisorGraceMs(spec: SessionSpec): number {
  return Math.max(DEFAULTS.shutdownMs, ...spec.children.map((c) => c.shutdownMs)) + STOP_MARGIN_MS;
}

/**
 * The one stop path of a session's processes: SIGTERM and a grace for a stop that was asked for,
 * SIGKILL at once for a crash or a hang; then whatever is left of the children's groups and of
 * the processes carrying the session's marker is SIGKILLed. Resolves with the supervisor's exit
 * once every process is gone (null when there was no supervisor).
 */
export async function stopSessionProcesses(
  proc: Spawned | null,
  cause: StopCause,
  graceMs: number,
  groups: () => number[],
  session: string,
): Promise<ExitInfo | null> {
  if (!proc) return null;
  let clean = false;
  if (isGraceful(cause) && !proc.hasExited()) clean = !(await stopProcess(proc, graceMs, groups())).forced;
  else await killProcess(proc, groups());
  const exit = await proc.exited;
  // A supervisor that stopped cleanly swept each child's marker itself; otherwise we do.
  if (!clean || exit.code !== 0) await killGroups(groups(), { session });
  return exit;
}

/**
 * Every stop of a session, whatever its cause: its bounds first (timers off, a paused session
 * continued), then its processes, then its cgroup (killed and removed). Never rejects: a step
 * that fails is warned about and the next runs, so the session always reaches terminated and a
 * daemon stop always returns. Resolves with the supervisor's exit (null if unknown).
 */
export async function stopSession(
  session: string,
  cause: StopCause,
  processes: { readonly proc: Spawned | null; readonly graceMs: number; readonly groups: () => number[] },
  bounds: Pick<SessionBounds, 'beforeStop' | 'release'>,
  warn: (message: string) => void,
): Promise<ExitInfo | null> {
  const attempt = async <T>(what: string, step: () => Promise<T>): Promise<T | null> => {
    try {
      return await step();
    } catch (error) {
      warn(`session ${session}: ${what} failed: ${errorMessage(error)}`);
      return null;
    }
  };
  await attempt('continuing it before its stop', () => bounds.beforeStop());
  const exit = await attempt('stopping its processes', () => stopSessionProcesses(processes.proc, cause, processes.graceMs, processes.groups, session));
  await attempt('releasing its cgroup', () => bounds.release());
  return exit;
}
