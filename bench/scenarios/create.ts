// (1) create → active: from the request until the worker is ready, via the API and via the CLI.
import type { Figure, Plan } from '../figure.js';
import { waitGone } from '../proc.js';
import { unitName, type System, type Unit } from '../system.js';
import { alternate, progress, withSystems } from './trials.js';

export async function createScenario(systems: readonly System[], plan: Plan): Promise<Figure[]> {
  progress('create → active');
  return withSystems(systems, 2, async (ready) => {
    const timed = async (system: System, start: (name: string) => Promise<Unit>) => {
      const t0 = performance.now();
      const unit = await start(unitName('create'));
      const elapsed = performance.now() - t0;
      await system.stop(unit);
      await waitGone(unit.pids, performance.now(), 10_000);
      return elapsed;
    };
    const api = await alternate(ready, plan.trials, (system) => timed(system, (name) => system.start(name)));
    // The CLI figure: systems with a CLI path, beside the floor (which has none: it is the same bare start).
    const withCli = ready.filter((s) => s.startViaCli || s.name === 'floor');
    const cli = await alternate(withCli, plan.trials, (system) => timed(system, (name) => (system.startViaCli ?? system.start).call(system, name)));
    return [
      { key: 'create.client', label: 'create → active (API: SessionClient / pm2.start / startProcess)', unit: 'ms', samples: api },
      { key: 'create.cli', label: 'create → active (CLI: sessionctl create)', unit: 'ms', samples: cli },
    ];
  });
}
