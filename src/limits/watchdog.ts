/** One process's resident memory as sampled. */
export interface RssSample {
  readonly pid: number;
  readonly rss: number;
}

/** What the memory watchdog decides for one sample of a session. */
export interface MemoryVerdict {
  /** The sum of the sampled processes' RSS. */
  readonly total: number;
  /** The pid to SIGKILL, or null while the session is within its limit. */
  readonly kill: number | null;
}

/**
 * The watchdog of a host without a memory cgroup: past memoryMax, the session's largest process
 * goes, as the kernel's OOM killer would choose it. Spared pids (the supervisor) count toward the
 * total but are chosen only when nothing else holds memory: killing the supervisor ends the session.
 * Ties go to the lower pid, so a decision never depends on the order of the samples.
 */
export function memoryVerdict(samples: readonly RssSample[], memoryMax: number, spared: ReadonlySet<number> = new Set()): MemoryVerdict {
  const total = samples.reduce((sum, s) => sum + s.rss, 0);
  if (total <= memoryMax) return { total, kill: null };
  const candidates = samples.filter((s) => !spared.has(s.pid) && s.rss > 0);
  const pool = candidates.length ? candidates : samples;
  let largest: RssSample | undefined;
  for (const sample of pool) {
    if (!largest || sample.rss > largest.rss || (sample.rss === largest.rss && sample.pid < largest.pid)) largest = sample;
  }
  return { total, kill: largest?.pid ?? null };
}
