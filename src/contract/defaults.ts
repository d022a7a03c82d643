// No imports: the supervisor's bundle reads these too, and each import there costs every session.

/** Defaults of the contract, declared once. */
export const DEFAULTS = {
  strategy: 'one_for_one',
  maxRestarts: 3,
  maxSeconds: 5,
  restart: 'permanent',
  shutdownMs: 5000,
  maxRestartDelayMs: 30_000,
  startTimeoutMs: 10_000,
  heartbeatMs: 1000,
  missedHeartbeats: 3,
  idleTimeoutMs: 5 * 60_000,
  placeholderName: 'placeholder',
  sendTimeoutMs: 30_000,
  /** Spare sessions kept started ahead of need. */
  warm: 1,
} as const;
