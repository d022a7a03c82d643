// No imports: the supervisor's bundle uses this too, and each import there costs every session.

/** Node's timers fire at once past this many ms (a signed 32-bit delay), so longer ones are chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer that may be cancelled, whatever its length. */
export interface LongTimer {
  cancel(): void;
}

/**
 * Calls `fire` once `ms` have passed, at any length: a chain of timeouts of at most
 * MAX_TIMER_MS each, so a 30-day ttl is not a ttl of 1 ms. `unref`: it keeps no process alive.
 */
export function longTimeout(fire: () => void, ms: number, options: { unref?: boolean } = {}): LongTimer {
  const due = Date.now() + Math.max(0, ms);
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const left = due - Date.now();
    timer = setTimeout(left > MAX_TIMER_MS ? arm : fire, Math.min(Math.max(0, left), MAX_TIMER_MS));
    if (options.unref) timer.unref();
  };
  arm();
  return { cancel: () => clearTimeout(timer) };
}
