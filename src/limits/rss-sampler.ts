import { readFileSync } from 'node:fs';
import type { RssSample } from './watchdog.js';

/**
 * Reads the resident memory of given pids from /proc/PID/status (VmRSS, in kB), each file read
 * whole and closed at once, so the sampler holds no descriptor between samples. A pid that is
 * gone, or a zombie (which has no VmRSS line), is left out. It remembers the largest total seen,
 * which is how far a session got past its limit before the watchdog acted.
 */
export class RssSampler {
  private peak = 0;

  constructor(private readonly procRoot = '/proc') {}

  sample(pids: Iterable<number>): RssSample[] {
    const samples: RssSample[] = [];
    for (const pid of new Set(pids)) {
      const rss = this.rssOf(pid);
      if (rss !== null) samples.push({ pid, rss });
    }
    this.peak = Math.max(this.peak, samples.reduce((sum, s) => sum + s.rss, 0));
    return samples;
  }

  /** The largest sum of RSS over one sample so far, in bytes. */
  get peakTotal(): number {
    return this.peak;
  }

  rssOf(pid: number): number | null {
    let text: string;
    try {
      text = readFileSync(`${this.procRoot}/${pid}/status`, 'utf8');
    } catch {
      return null;
    }
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
    return match ? Number(match[1]) * 1024 : null;
  }
}
