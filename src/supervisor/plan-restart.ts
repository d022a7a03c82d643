import { describeExit, type ExitInfo } from '../contract/session.js';
import type { ChildSpec, SessionSpec } from '../contract/spec.js';
import { autoShutdownReached } from './auto-shutdown.js';
import { BACKOFF_RESET_MS, restartDelayMs } from './backoff.js';
import { childrenToRestart, shouldRestart } from './decisions.js';
import { describeIntensity, recordRestart } from './intensity.js';

/** What a restart decision reads of one child (ChildSlot.facts()). */
export interface PlanChild {
  readonly spec: Pick<ChildSpec, 'name' | 'restart' | 'significant' | 'restartDelayMs' | 'backoff' | 'maxRestartDelayMs'>;
  /** Stopped on request: neither restarted nor stopped by a sibling's crash. */
  readonly held: boolean;
  /** Exited on its own and not restarted (for auto_shutdown). */
  readonly ended: boolean;
  readonly running: boolean;
  /** Its consecutive crashes before this exit. */
  readonly crashes: number;
  /** How long its run had been ready when it exited. */
  readonly ranMs: number;
}

/** What a restart decision reads of the supervisor. */
export interface PlanSupervisor {
  readonly policy: Pick<SessionSpec, 'strategy' | 'autoShutdown' | 'maxRestarts' | 'maxSeconds'>;
  /** Only a running supervisor restarts: one starting or stopping handles no exit. */
  readonly running: boolean;
  /** The restarts counted for intensity (monotonic ms). */
  readonly restartTimes: readonly number[];
  readonly nowMs: number;
}

export type RestartPlan =
  /** Nothing to do: the supervisor is not running, or the child was stopped on request. */
  | { readonly kind: 'none' }
  /** Not restarted: it has ended (`significant`: it counts for auto_shutdown, which may end the session). */
  | { readonly kind: 'end'; readonly significant: boolean; readonly autoShutdown: string | null }
  /** One restart more than the intensity allows: stop everything. */
  | { readonly kind: 'give_up'; readonly reason: string }
  /**
   * Stop `stop` (running siblings, in reverse start order), wait `delayMs`, then start `start` in
   * start order. `crashes` is the failed child's new count of consecutive crashes.
   */
  | { readonly kind: 'restart'; readonly stop: readonly string[]; readonly start: readonly string[]; readonly delayMs: number; readonly crashes: number; readonly restartTimes: readonly number[] };

/** OTP's decision after `failed` (a child of `children`, in start order) exited: pure. */
export function planRestart(children: readonly PlanChild[], failed: { readonly name: string; readonly exit: ExitInfo }, supervisor: PlanSupervisor): RestartPlan {
  const child = children.find((c) => c.spec.name === failed.name);
  if (!child || !supervisor.running || child.held) return { kind: 'none' };
  const { policy } = supervisor;
  if (!shouldRestart(child.spec.restart, failed.exit)) {
    if (!child.spec.significant) return { kind: 'end', significant: false, autoShutdown: null };
    const after = children.map((c) => ({ significant: c.spec.significant, ended: c === child || c.ended }));
    const reached = autoShutdownReached(policy.autoShutdown, after);
    return { kind: 'end', significant: true, autoShutdown: reached ? `significant child ${failed.name} ended (${describeExit(failed.exit)})` : null };
  }
  const intensity = recordRestart(supervisor.restartTimes, supervisor.nowMs, policy);
  if (!intensity.allowed) {
    return { kind: 'give_up', reason: `restart intensity exceeded: ${describeIntensity(policy)} (last: child ${failed.name} ${describeExit(failed.exit)})` };
  }
  const order = children.map((c) => c.spec.name);
  const byName = new Map(children.map((c) => [c.spec.name, c]));
  const group = childrenToRestart(policy.strategy, order, failed.name).map((name) => byName.get(name)!).filter((c) => c === child || !c.held);
  const crashes = child.ranMs >= BACKOFF_RESET_MS ? 1 : child.crashes + 1;
  return {
    kind: 'restart',
    stop: group.filter((c) => c !== child && c.running).map((c) => c.spec.name).reverse(),
    // OTP never restarts a temporary child, not even when a sibling's death stopped it.
    start: group.filter((c) => c === child || c.spec.restart !== 'temporary').map((c) => c.spec.name),
    delayMs: restartDelayMs(child.spec, crashes, child.ranMs),
    crashes,
    restartTimes: intensity.times,
  };
}
