import { performance } from 'node:perf_hooks';

/**
 * How long each phase of the daemon's start took, in ms, for its "sessiond started" log line:
 * a slow first start (issue 19: 10 s with no word) is then read from the log, not guessed.
 * `load` is Node's start and the loading of the daemon's modules, before startDaemon ran.
 */
export class StartPhases {
  private last = performance.now();
  readonly ms: Record<string, number> = { load: Math.round(this.last) };

  /** Ends the phase called `name`, which began where the previous one ended. */
  done(name: string): void {
    const now = performance.now();
    this.ms[name] = Math.round((now - this.last) * 10) / 10;
    this.last = now;
  }
}
