import type { AutoShutdown } from '../contract/vocabulary.js';

export interface SignificantChild {
  readonly significant: boolean;
  /** It has exited and will not be restarted (its restart type said no, or it was temporary). */
  readonly ended: boolean;
}

/**
 * OTP 24's auto_shutdown: whether the session ends on its own now that a significant child has
 * ended. `any_significant`: as soon as one has; `all_significant`: once every one has; `never`:
 * never. A session with no significant child never ends this way.
 */
export function autoShutdownReached(mode: AutoShutdown, children: readonly SignificantChild[]): boolean {
  const significant = children.filter((c) => c.significant);
  if (mode === 'never' || significant.length === 0) return false;
  return mode === 'any_significant' ? significant.some((c) => c.ended) : significant.every((c) => c.ended);
}
