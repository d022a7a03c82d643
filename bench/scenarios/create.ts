// (1) create → active: from the request until the unit is ready, via the API and via the CLI;
// the CLI's own start-up beside it, in the same rounds; with spares, a create with a Node module
// child of its own (it takes the spare's supervisor alone), and an idle spare's PSS. Every trial
// starts with the system settled (sessiond: its spare loaded), as a user finds it; settling is not timed.
import type { Figure, Plan } from '../figure.js';
import { totalPss, waitGone } from '../proc.js';
import { unitName, type System, type Unit } from '../system.js';
import { alternate, progress, withSystems, type Samples } from './trials.js';

const MB = 1024 * 1024;

export async function createScenario(systems: readonly System[], plan: Plan): Promise<Figure[]> {
  progress('create → active');
  return withSystems(systems, 2, async (ready) => {
    const sparePss: Samples = {};
    const timed = async (system: System, start: (name: string) => Promise<Unit>) => {
      await system.settle?.();
      const spares = (await system.sparePids?.()) ?? [];
      if (spares.length) (sparePss[system.name] ??= []).push(totalPss(spares) / MB);
      const t0 = performance.now();
      const unit = await start(unitName('create'));
      const elapsed = performance.now() - t0;
      await system.stop(unit);
      await waitGone(unit.pids, performance.now(), 10_000);
      return elapsed;
    };
    const api = await alternate(ready, plan.trials, (system) => timed(system, (name) => system.start(name)));
    // The CLI figure: systems with a CLI path, beside the floor (which has none: it is the same bare start).
    // The CLI's own start-up (one system is enough: both sessiond variants run the same CLI) is timed
    // in the same rounds, just before that system's create, settled as for it: a load that comes
    // and goes weighs on both alike.
    const withCli = ready.filter((s) => s.startViaCli || s.name === 'floor');
    const startupOf = withCli.find((s) => s.cliStartup);
    const cliStartup: Samples = {};
    const cli = await alternate(withCli, plan.trials, async (system) => {
      if (system === startupOf) {
        await system.settle?.();
        const t0 = performance.now();
        await system.cliStartup!();
        (cliStartup[system.name] ??= []).push(performance.now() - t0);
      }
      return timed(system, (name) => (system.startViaCli ?? system.start).call(system, name));
    });
    // A Node module child under sessiond with spares (the spare's supervisor), beside spares off and the floor.
    const withChild = ready.filter((s) => s.name === 'sessiond' || s.name === 'sessiond-cold' || s.name === 'floor');
    const child = await alternate(withChild, plan.trials, (system) => timed(system, (name) => system.start(name, { worker: true })));
    // An isolated create (a uid of its own, root only) from an isolated spare, beside the plain one above.
    const isolating = process.getuid?.() === 0 ? ready.filter((s) => s.name === 'sessiond') : [];
    for (const system of isolating) await system.stop(await system.start(unitName('warm-isolated'), { isolate: true })); // starts its isolated spares
    // Paired: each round times a plain create and an isolated one back to back (the order alternating), so a load that comes and goes weighs on both alike.
    const plainBeside: Samples = {};
    const isolated = await alternate(isolating, plan.trials, async (system, round) => {
      const plain = () => timed(system, (name) => system.start(name));
      const isolate = () => timed(system, (name) => system.start(name, { isolate: true }));
      let plainMs: number;
      let isolatedMs: number;
      if (round % 2) {
        isolatedMs = await isolate();
        plainMs = await plain();
      } else {
        plainMs = await plain();
        isolatedMs = await isolate();
      }
      (plainBeside[system.name] ??= []).push(plainMs);
      return isolatedMs;
    });
    return [
      { key: 'create.isolated', label: 'create → active, isolated (API: create --isolate, from an isolated spare)', unit: 'ms', samples: isolated },
      { key: 'create.isolated_plain', label: 'create → active, plain, in the same rounds as the isolated ones (API)', unit: 'ms', samples: plainBeside },
      { key: 'create.client', label: 'create → active (API: SessionClient / pm2.start / startProcess)', unit: 'ms', samples: api },
      { key: 'create.cli', label: 'create → active (CLI: sessionctl create)', unit: 'ms', samples: cli },
      { key: 'create.cli_startup', label: 'CLI start-up (sessionctl registry-key x, no daemon)', unit: 'ms', samples: cliStartup },
      { key: 'create.child', label: 'create → active, a Node module child (API)', unit: 'ms', samples: child },
      { key: 'create.spare_pss', label: 'an idle spare: PSS of its supervisor + Placeholder', unit: 'MB', samples: sparePss },
    ];
  });
}
