import { availableParallelism } from 'node:os';

/**
 * How many sessions start at once. Two hundred creates at a time on two cores would start four
 * hundred Node processes together, and most would pass their start timeout; past the limit a
 * session waits its turn (`initializing`), and its timeout counts from its own start.
 */
export const DEFAULT_CONCURRENT_STARTS = Math.max(4, availableParallelism() * 2);

/** A counting gate: `run` waits for a free place, first come first served. */
export class StartGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(step: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await step();
    } finally {
      // The place passes straight to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
