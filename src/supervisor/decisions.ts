import type { RestartType, Strategy } from '../contract/session.js';

export interface ExitReason {
  readonly code: number | null;
  readonly signal: string | null;
}

export function isAbnormal(exit: ExitReason): boolean {
  return exit.signal !== null || exit.code !== 0;
}

/** OTP: permanent always, transient after an abnormal exit, temporary never. */
export function shouldRestart(restart: RestartType, exit: ExitReason): boolean {
  switch (restart) {
    case 'permanent':
      return true;
    case 'transient':
      return isAbnormal(exit);
    case 'temporary':
      return false;
  }
}

/**
 * Which children a strategy restarts after `failed` died, in start order: one_for_one the
 * failed child alone, one_for_all every child, rest_for_one the failed one and those started
 * after it. The others among them are stopped first, in reverse start order.
 */
export function childrenToRestart(strategy: Strategy, order: readonly string[], failed: string): string[] {
  switch (strategy) {
    case 'one_for_one':
      return [failed];
    case 'one_for_all':
      return [...order];
    case 'rest_for_one':
      return order.slice(order.indexOf(failed));
  }
}
