/** OTP's restart intensity: at most maxRestarts restarts within any maxSeconds. */
export interface IntensityLimits {
  readonly maxRestarts: number;
  readonly maxSeconds: number;
}

/**
 * Records a restart at `nowMs` (a monotonic clock) over the restarts `times` already counted:
 * those older than the period are dropped; `allowed` is false when it is one more than the
 * intensity allows. Pure: the caller keeps the returned times.
 */
export function recordRestart(times: readonly number[], nowMs: number, limits: IntensityLimits): { times: number[]; allowed: boolean } {
  const since = nowMs - limits.maxSeconds * 1000;
  const kept = [...times.filter((at) => at > since), nowMs];
  return { times: kept, allowed: kept.length <= limits.maxRestarts };
}

export function describeIntensity(limits: IntensityLimits): string {
  return `more than ${limits.maxRestarts} restarts within ${limits.maxSeconds} s`;
}
