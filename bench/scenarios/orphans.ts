// (6) orphans: SIGKILL the daemon holding N units → time until the last of their processes is gone.
import type { Figure, Plan } from '../figure.js';
import { waitGone } from '../proc.js';
import type { System } from '../system.js';
import { alternate, progress, withSystems } from './trials.js';

export async function orphansScenario(systems: readonly System[], plan: Plan): Promise<Figure[]> {
  progress(`orphans: SIGKILL the daemon with ${plan.orphanSessions} sessions`);
  // A fresh daemon per trial: each trial kills it.
  const samples = await alternate(systems, plan.orphanTrials, (system) =>
    withSystems([system], plan.orphanSessions, async (ready) => {
      if (ready.length === 0) throw new Error('setup failed');
      const group = await system.orphanGroup(plan.orphanSessions);
      const t0 = performance.now();
      group.killDaemon();
      return waitGone(group.pids, t0, plan.orphanLimitMs);
    }),
  );
  return [
    {
      key: 'orphans.last_gone',
      label: `daemon SIGKILLed with ${plan.orphanSessions} sessions → last process gone`,
      unit: 'ms',
      samples,
      limit: plan.orphanLimitMs,
    },
  ];
}
