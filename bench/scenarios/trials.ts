// Running trials: systems set up fresh for a scenario and torn down after it, and trials that
// alternate the systems one by one (the order rotating each round) so drift hits all alike.
import type { Sample } from '../stats.js';
import type { System, SystemName } from '../system.js';

export type Samples = Partial<Record<SystemName, Sample[]>>;

/** Sets every system up, runs `body`, then tears them all down, also on failure. */
export async function withSystems<T>(systems: readonly System[], capacity: number, body: (ready: System[]) => Promise<T>): Promise<T> {
  const ready: System[] = [];
  try {
    for (const system of systems) {
      try {
        await system.setup(capacity);
        ready.push(system);
      } catch (error) {
        console.error(`bench: ${system.name}: setup failed, left out of this scenario: ${message(error)}`);
        await system.teardown().catch(() => undefined);
      }
    }
    return await body(ready);
  } finally {
    for (const system of ready) await system.teardown().catch((error: unknown) => console.error(`bench: ${system.name}: teardown: ${message(error)}`));
  }
}

/** `trials` rounds, each running `trial` once per system; a throwing trial records null. */
export async function alternate(systems: readonly System[], trials: number, trial: (system: System, round: number) => Promise<Sample>): Promise<Samples> {
  const samples: Samples = {};
  for (let round = 0; round < trials; round++) {
    for (let k = 0; k < systems.length; k++) {
      const system = systems[(round + k) % systems.length]!;
      let value: Sample = null;
      try {
        value = await trial(system, round);
      } catch (error) {
        console.error(`bench: ${system.name}: trial ${round + 1} failed: ${message(error)}`);
      }
      (samples[system.name] ??= []).push(value);
    }
  }
  return samples;
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}
