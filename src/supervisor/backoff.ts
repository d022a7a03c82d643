/** A child's restart delay settings, as its spec gives them. */
export interface RestartDelay {
  readonly restartDelayMs: number;
  readonly backoff: 'none' | 'exponential';
  readonly maxRestartDelayMs: number;
}

/** A child that ran this long before it crashed starts its backoff over. */
export const BACKOFF_RESET_MS = 30_000;
/** Where exponential backoff starts when the spec gives no restartDelayMs. */
export const BACKOFF_FIRST_MS = 100;

/**
 * How long a crashed child waits before it is started again. `crashes` counts its consecutive
 * crashes, this one included (1 for the first); with exponential backoff the delay doubles on
 * each up to maxRestartDelayMs, and falls back to restartDelayMs once the child had run 30 s.
 */
export function restartDelayMs(spec: RestartDelay, crashes: number, ranMs: number): number {
  if (spec.backoff !== 'exponential' || ranMs >= BACKOFF_RESET_MS) return spec.restartDelayMs;
  const first = spec.restartDelayMs || BACKOFF_FIRST_MS;
  return Math.min(spec.maxRestartDelayMs, first * 2 ** Math.max(0, crashes - 1));
}
