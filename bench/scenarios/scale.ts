// (5) scale: N units created concurrently → all active; the CPU that took per unit (its own
// processes' and the daemon's: what a shared machine's load hardly moves); daemon RSS and PSS;
// PSS per unit; list latency at that size.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Figure, Plan } from '../figure.js';
import { cpuMs, memoryOf, totalPss, waitGone } from '../proc.js';
import type { Sample } from '../stats.js';
import { unitName, type System, type SystemName, type Unit } from '../system.js';
import { alternate, message, progress, withSystems, type Samples } from './trials.js';

const MB = 1024 * 1024;

export async function scaleScenario(systems: readonly System[], plan: Plan): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const { size, trials } of plan.scales) {
    progress(`scale: ${size} units created concurrently`);
    const memory = { rss: {} as Samples, pss: {} as Samples, perUnit: {} as Samples, list: {} as Samples, cpu: {} as Samples };
    const notes: Partial<Record<SystemName, string>> = {};
    const push = (samples: Samples, name: SystemName, value: Sample) => (samples[name] ??= []).push(value);

    const createAll = await withSystems(systems, size, (ready) =>
      alternate(ready, trials, async (system) => {
        await system.settle?.();
        const daemon = system.daemonPid();
        // The floor's daemon is the bench itself: its spawns and IPC are the floor's supervising.
        const daemonCpu = () => (daemon === null ? selfCpuMs() : (cpuMs(daemon) ?? NaN));
        const cpu0 = daemonCpu();
        const t0 = performance.now();
        const settled = await Promise.allSettled(Array.from({ length: size }, () => system.start(unitName(`scale${size}`))));
        const elapsed = performance.now() - t0;
        const units = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
        const daemonSpent = daemonCpu() - cpu0;
        const unitsCpu = units.flatMap((u) => u.pids).reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0);
        push(memory.cpu, system.name, units.length ? (unitsCpu + daemonSpent) / units.length : null);
        const failed = settled.length - units.length;
        if (failed > 0) {
          const first = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
          notes[system.name] = `${failed}/${size} creates failed (${message(first?.reason)})`;
        }
        try {
          await sleep(300);
          if (daemon !== null) {
            const daemonMemory = memoryOf(daemon);
            push(memory.rss, system.name, daemonMemory ? daemonMemory.rss / MB : null);
            push(memory.pss, system.name, daemonMemory ? daemonMemory.pss / MB : null);
          }
          push(memory.perUnit, system.name, units.length ? totalPss(units.flatMap((u) => u.pids)) / units.length / MB : null);
          if (system.list) {
            for (let i = 0; i < plan.listCalls; i++) {
              const l0 = performance.now();
              await system.list();
              push(memory.list, system.name, performance.now() - l0);
            }
          }
        } finally {
          await stopAll(system, units);
        }
        return failed > 0 ? null : elapsed;
      }),
    );
    figures.push(
      { key: `scale${size}.create_all`, label: `${size} created concurrently → all active`, unit: 'ms', samples: createAll, notes },
      { key: `scale${size}.cpu_per_unit`, label: `${size}: CPU per session until all active (its processes + the daemon)`, unit: 'ms', samples: memory.cpu },
      { key: `scale${size}.daemon_rss`, label: `${size}: daemon RSS`, unit: 'MB', samples: memory.rss },
      { key: `scale${size}.daemon_pss`, label: `${size}: daemon PSS`, unit: 'MB', samples: memory.pss },
      { key: `scale${size}.pss_per_unit`, label: `${size}: PSS per session (its processes)`, unit: 'MB', samples: memory.perUnit },
      { key: `scale${size}.list`, label: `${size}: list latency`, unit: 'ms', samples: memory.list },
    );
  }
  return figures;
}

function selfCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export async function stopAll(system: System, units: readonly Unit[]): Promise<void> {
  const t0 = performance.now();
  await Promise.allSettled(units.map((u) => system.stop(u)));
  await waitGone(units.flatMap((u) => u.pids), t0, 30_000, 5);
}
