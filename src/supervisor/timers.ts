/** Past this a Node timer fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Timers cleared together (a stop cancels every pending restart). A delay past Node's limit
 * (about 24.8 days) is waited out in steps, so it never fires early.
 */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  after(delayMs: number, fire: () => void): void {
    const step = Math.min(delayMs, MAX_TIMER_MS);
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      if (delayMs > step) this.after(delayMs - step, fire);
      else fire();
    }, step);
    this.pending.add(timer);
  }

  clear(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
