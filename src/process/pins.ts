import { readStat } from './proc.js';

/** The key of the supervisor's pin; children are pinned by their names. */
export const SUPERVISOR = '';

/**
 * The /proc start time of each process of a session, by child name (the supervisor's under
 * SUPERVISOR), read once when its pid is learnt: with the pid, it names one process for good,
 * so a later daemon never mistakes an unrelated process that got the same pid for ours.
 */
export class ProcessPins {
  private readonly pins = new Map<string, { pid: number; startTime: number | null }>();
  /** Start times read ahead (a spare's processes, while it idled), by pid: a pin of one reads nothing. */
  private known: ReadonlyMap<number, number | null> = new Map();

  pin(key: string, pid: number | null): void {
    if (pid !== null && pid > 0 && this.pins.get(key)?.pid !== pid) {
      this.pins.set(key, { pid, startTime: this.known.has(pid) ? this.known.get(pid)! : (readStat(pid)?.startTime ?? null) });
    }
  }

  /** Start times read earlier, of processes that are still ours (so their pids are not reused yet). */
  know(startTimes: ReadonlyMap<number, number | null>): void {
    this.known = startTimes;
  }

  startTime(key: string, pid: number | null): number | null {
    const pin = this.pins.get(key);
    return pin && pin.pid === pid ? pin.startTime : null;
  }
}
