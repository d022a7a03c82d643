// (3) and (4) terminate: from the request until every process of the unit is gone in /proc
// (a zombie whose threads have all exited counts as gone), with a cooperative worker and with one that ignores SIGTERM.
import type { Figure, Plan } from '../figure.js';
import { waitGone } from '../proc.js';
import { unitName, type System } from '../system.js';
import { alternate, progress, withSystems } from './trials.js';

export async function terminateScenario(systems: readonly System[], plan: Plan): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const ignoreTerm of [false, true]) {
    progress(ignoreTerm ? 'terminate, worker ignoring SIGTERM' : 'terminate, cooperative');
    const samples = await withSystems(systems, 2, (ready) =>
      alternate(ready, ignoreTerm ? plan.slowTrials : plan.trials, async (system) => {
        const unit = await system.start(unitName('term'), { worker: true, ignoreTerm });
        const t0 = performance.now();
        await system.stop(unit);
        return waitGone(unit.pids, t0, 15_000);
      }),
    );
    figures.push(
      ignoreTerm
        ? { key: 'terminate.ignoring', label: 'terminate, worker ignoring SIGTERM → all pids gone', unit: 'ms', samples }
        : { key: 'terminate.cooperative', label: 'terminate, cooperative → all pids gone', unit: 'ms', samples },
    );
  }
  return figures;
}
