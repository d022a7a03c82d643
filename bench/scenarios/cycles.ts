// (5, cont.) does the daemon grow? RSS after each of `cycles` rounds of create N / terminate N.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Figure, Plan } from '../figure.js';
import { memoryOf } from '../proc.js';
import { unitName, type System, type SystemName } from '../system.js';
import { alternate, progress, withSystems } from './trials.js';
import { stopAll } from './scale.js';

const MB = 1024 * 1024;

export async function cyclesScenario(systems: readonly System[], plan: Plan): Promise<Figure[]> {
  progress(`cycles: ${plan.cycles} × create/terminate ${plan.cycleSize}`);
  const withDaemon = systems.filter((s) => s.name !== 'floor');
  const series: Partial<Record<SystemName, number[]>> = {};
  await withSystems(withDaemon, plan.cycleSize, (ready) =>
    alternate(ready, plan.cycles, async (system) => {
      await system.settle?.();
      const settled = await Promise.allSettled(Array.from({ length: plan.cycleSize }, () => system.start(unitName('cycle'))));
      await stopAll(system, settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
      await sleep(200);
      const daemon = system.daemonPid();
      const rss = daemon === null ? null : (memoryOf(daemon)?.rss ?? null);
      if (rss !== null) (series[system.name] ??= []).push(rss / MB);
      return rss === null ? null : rss / MB;
    }),
  );
  const first = Object.fromEntries(Object.entries(series).map(([name, values]) => [name, [values[0] ?? null]]));
  const last = Object.fromEntries(Object.entries(series).map(([name, values]) => [name, [values.at(-1) ?? null]]));
  return [
    { key: 'cycles.rss_first', label: `daemon RSS after cycle 1 of ${plan.cycleSize}`, unit: 'MB', samples: first },
    { key: 'cycles.rss_last', label: `daemon RSS after cycle ${plan.cycles} of ${plan.cycleSize}`, unit: 'MB', samples: last, series },
  ];
}
