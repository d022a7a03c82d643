import * as z from 'zod';

/** The longest duration sessiond honours (contract: "up to 365 days"); a longer one is bad usage. */
export const MAX_DURATION_MS = 365 * 86_400_000;

/**
 * Every duration of the contract (ttlMs, idleTerminateMs, restartDelayMs, maxRestartDelayMs,
 * shutdownMs, --timeout-ms) in ms, parsed here and only here, its bound named in the error.
 */
export const durationMs = (min: 0 | 1 = 0) =>
  z
    .number()
    .int('must be a whole number of milliseconds')
    .min(min, min === 0 ? 'must be 0 or more milliseconds' : 'must be a positive number of milliseconds')
    .max(MAX_DURATION_MS, `must be at most ${MAX_DURATION_MS} ms (365 days)`);
