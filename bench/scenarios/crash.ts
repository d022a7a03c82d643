// (2) crash → replacement ready: SIGKILL the worker, time until its replacement tells the hub it is ready.
import type { Figure, Plan } from '../figure.js';
import { unitName, type BenchContext, type System, type Unit } from '../system.js';
import { alternate, message, progress, withSystems } from './trials.js';

export async function crashScenario(systems: readonly System[], plan: Plan, ctx: BenchContext): Promise<Figure[]> {
  progress('crash → replacement ready');
  return withSystems(systems, 1, async (ready) => {
    const units = new Map<System, Unit>();
    for (const system of ready) {
      try {
        units.set(system, await system.start(unitName('crash'), { worker: true }));
      } catch (error) {
        console.error(`bench: ${system.name}: left out of the crash scenario: ${message(error)}`);
      }
    }
    const samples = await alternate([...units.keys()], plan.trials, async (system) => {
      const unit = units.get(system)!;
      const replaced = ctx.hub.next(unit.id, 30_000);
      const t0 = performance.now();
      process.kill(unit.workerPid, 'SIGKILL');
      const note = await replaced;
      unit.workerPid = note.pid;
      return note.at - t0;
    });
    return [{ key: 'crash.replacement_ready', label: 'crash (SIGKILL worker) → replacement ready', unit: 'ms', samples }];
  });
}
