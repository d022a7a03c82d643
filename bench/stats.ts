// Summaries of trial samples: median and p90 (nearest rank), and ratios between systems.

/** A sample is a number, or null when the trial failed or passed its time limit. */
export type Sample = number | null;

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
  /** Trials that failed or passed the limit (their value is not in the figures). */
  readonly failed: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function summarize(samples: readonly Sample[]): Summary | null {
  const values = samples.filter((s): s is number => s !== null && Number.isFinite(s)).sort((a, b) => a - b);
  if (values.length === 0 && samples.length === 0) return null;
  return {
    n: values.length,
    median: quantile(values, 0.5),
    p90: quantile(values, 0.9),
    min: values[0] ?? NaN,
    max: values.at(-1) ?? NaN,
    failed: samples.length - values.length,
  };
}

/** a / b on medians; null when either is missing. */
export function ratio(a: Summary | null | undefined, b: Summary | null | undefined): number | null {
  if (!a || !b || !(a.n > 0) || !(b.n > 0) || b.median === 0) return null;
  return a.median / b.median;
}
