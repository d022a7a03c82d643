import { longTimeout } from '../contract/long-timer.js';
import { killGroups, killTree, signalGroup } from './kill.js';
import type { Marker } from './marker.js';
import type { SpawnedBase } from './spawned.js';

export interface StopResult {
  /** SIGTERM was not enough: the tree was SIGKILLed when the grace period ran out. */
  readonly forced: boolean;
  /** Every process of the tree is gone (false only for processes SIGKILL could not end). */
  readonly gone: boolean;
}

/**
 * The one stop path: SIGTERM to the process group, an abortable grace timer, SIGKILL of the whole
 * tree when it runs out, then await the exit and SIGKILL whatever is left of the group, of
 * `extraGroups` and of the processes carrying `marker` (looked for `among` those pids, if given:
 * killGroups). Resolves only when all of them are gone.
 */
export async function stopProcess(
  proc: SpawnedBase,
  graceMs: number,
  extraGroups: readonly number[] = [],
  marker?: Marker,
  among?: () => number[],
): Promise<StopResult> {
  let forced = false;
  const groups = proc.pid > 0 ? [proc.pid, ...extraGroups] : [...extraGroups];
  if (proc.pid > 0 && !proc.hasExited()) {
    signalGroup(proc.pid, 'SIGTERM');
    const timer = new AbortController();
    const timedOut = await Promise.race([
      proc.exited.then(() => false),
      sleep(graceMs, timer.signal).then(() => true),
    ]);
    timer.abort();
    if (timedOut) {
      forced = true;
      killTree(proc.pid, extraGroups);
    }
  }
  await proc.exited;
  const gone = await killGroups(groups, marker, among);
  return { forced, gone };
}

/** SIGKILL at once: for crashes, hangs and orphaned trees. */
export async function killProcess(
  proc: SpawnedBase,
  extraGroups: readonly number[] = [],
  marker?: Marker,
  among?: () => number[],
): Promise<boolean> {
  const groups = proc.pid > 0 ? [proc.pid, ...extraGroups] : [...extraGroups];
  if (proc.pid > 0 && !proc.hasExited()) killTree(proc.pid, extraGroups);
  await proc.exited;
  return killGroups(groups, marker, among);
}

// A grace may be any duration up to 365 days (shutdownMs): a long timer, which plain setTimeout is not.
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = longTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        timer.cancel();
        resolve();
      },
      { once: true },
    );
  });
}
