// (8) send: a request through the daemon and the supervisor to a Node child and its reply, via
// SessionClient. The round trip one at a time, then throughput with 100 sends in flight.
import type { Figure, Plan } from '../figure.js';
import { unitName, type System, type Unit } from '../system.js';
import { progress, withSystems, type Samples } from './trials.js';

const IN_FLIGHT = 100;
const WARM_UP = 50;

export async function sendScenario(systems: readonly System[], plan: Plan): Promise<Figure[]> {
  progress('send round trip and throughput');
  const roundTrip: Samples = {};
  const throughput: Samples = {};
  const notes: Partial<Record<System['name'], string>> = {};
  await withSystems(
    systems.filter((s) => s.send),
    1,
    async (ready) => {
      for (const system of ready) {
        const unit = await system.start(unitName('send'), { worker: true }); // the bench worker answers each message
        try {
          for (let i = 0; i < WARM_UP; i++) await echo(system, unit, i);
          const times: number[] = [];
          for (let i = 0; i < plan.sendRoundTrips; i++) {
            const t0 = performance.now();
            await echo(system, unit, i);
            times.push(performance.now() - t0);
          }
          roundTrip[system.name] = times;
          const rates: (number | null)[] = [];
          for (let trial = 0; trial < plan.sendTrials; trial++) rates.push(await burst(system, unit, plan.sendBurst).catch(() => null));
          throughput[system.name] = rates;
          notes[system.name] = `${plan.sendRoundTrips} round trips one at a time; ${plan.sendTrials} bursts of ${plan.sendBurst} sends, ${IN_FLIGHT} in flight, on one client`;
        } finally {
          await system.stop(unit);
        }
      }
    },
  );
  return [
    { key: 'send.round_trip', label: 'send → reply, one at a time (SessionClient)', unit: 'ms', samples: roundTrip, notes },
    { key: 'send.throughput', label: `send throughput, ${IN_FLIGHT} in flight (SessionClient)`, unit: 'ops/s', samples: throughput },
  ];
}

// A reply that is not the message sent back would be a send mixed up with another: it fails the trial.
async function echo(system: System, unit: Unit, n: number): Promise<void> {
  const reply = (await system.send!(unit, { n })) as { n?: unknown } | null;
  if (reply?.n !== n) throw new Error(`send ${n} got the reply ${JSON.stringify(reply)}`);
}

// `total` sends, IN_FLIGHT at a time: each lane sends its next as soon as its reply is in. Sends per second.
async function burst(system: System, unit: Unit, total: number): Promise<number> {
  let next = 0;
  const lane = async () => {
    while (next < total) await echo(system, unit, next++);
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return total / ((performance.now() - t0) / 1000);
}
