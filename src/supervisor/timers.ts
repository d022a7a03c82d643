import { longTimeout, type LongTimer } from '../contract/long-timer.js';

/** Timers cleared together (a stop cancels every pending restart); any length, never early. */
export class Timers {
  private readonly pending = new Set<LongTimer>();

  after(delayMs: number, fire: () => void): void {
    const timer = longTimeout(() => {
      this.pending.delete(timer);
      fire();
    }, delayMs);
    this.pending.add(timer);
  }

  clear(): void {
    for (const timer of this.pending) timer.cancel();
    this.pending.clear();
  }
}
