// The targets of issue 5, checked against sessiond's figures: met, or missed by how much.
import type { Figure } from './figure.js';
import { MEMORY_LIMIT_MIB } from './scenarios/limits.js';
import { ratio, summarize, type Summary } from './stats.js';

export interface TargetResult {
  readonly target: string;
  readonly measured: string;
  /** null when the figures needed are missing (a scenario not run, or every trial failed). */
  readonly met: boolean | null;
  readonly margin: string;
}

type Lookup = (key: string, system: string) => Summary | null;

function upTo(target: string, value: number | null, limit: number, show: (v: number) => string): TargetResult {
  if (value === null || !Number.isFinite(value)) return { target, measured: 'n/a', met: null, margin: 'not measured' };
  const met = value <= limit;
  const pct = ((value - limit) / limit) * 100;
  return { target, measured: show(value), met, margin: met ? `met (${Math.abs(pct).toFixed(0)}% under)` : `missed by ${show(value - limit)} (${pct.toFixed(0)}% over)` };
}

function atLeast(target: string, value: number | null, floor: number, show: (v: number) => string): TargetResult {
  if (value === null || !Number.isFinite(value)) return { target, measured: 'n/a', met: null, margin: 'not measured' };
  const met = value >= floor;
  const pct = ((value - floor) / floor) * 100;
  return { target, measured: show(value), met, margin: met ? `met (${pct.toFixed(0)}% over)` : `missed by ${show(floor - value)} (${Math.abs(pct).toFixed(0)}% under)` };
}

const perSecond = (v: number) => `${Math.round(v).toLocaleString('en-US')}/s`;
const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const mb = (v: number) => `${v.toFixed(1)} MB`;
const times = (v: number) => `${v.toFixed(2)}×`;

function share(value: number | null, of: number): number | null {
  return value === null ? null : value / of;
}

export function checkTargets(figures: readonly Figure[]): TargetResult[] {
  const byKey = new Map(figures.map((f) => [f.key, f]));
  const get: Lookup = (key, system) => summarize(byKey.get(key)?.samples[system as 'sessiond'] ?? []);
  const largest = Math.max(0, ...figures.map((f) => /^scale(\d+)\./.exec(f.key)?.[1]).filter(Boolean).map(Number));
  const results: TargetResult[] = [];

  results.push(upTo('supervisor start-up p50 ≤ 15 ms over bare Node', get('startup.supervisor', 'sessiond')?.median ?? null, 15, ms));
  results.push(upTo('Placeholder start-up p50 ≤ 5 ms over bare Node', get('startup.placeholder', 'sessiond')?.median ?? null, 5, ms));
  results.push(upTo('crash → replacement ready p50 ≤ 1.15× the floor', ratio(get('crash.replacement_ready', 'sessiond'), get('crash.replacement_ready', 'floor')), 1.15, times));
  const crashPm2 = ratio(get('crash.replacement_ready', 'sessiond'), get('crash.replacement_ready', 'pm2'));
  results.push(upTo('crash → replacement ready p50 ahead of PM2 (≤ 1×)', crashPm2, 1, times));
  results.push(upTo('create → active p50 via the client ≤ 2.1× the floor', ratio(get('create.client', 'sessiond'), get('create.client', 'floor')), 2.1, times));
  results.push(upTo('cooperative terminate p50 ≤ 25 ms', get('terminate.cooperative', 'sessiond')?.median ?? null, 25, ms));

  const ignoring = get('terminate.ignoring', 'sessiond');
  if (ignoring && ignoring.n > 0) {
    const worst = Math.max(Math.abs(ignoring.median - 5000), Math.abs(ignoring.p90 - 5000));
    results.push({
      target: 'SIGTERM-ignoring terminate 5.0 s ± 50 ms (p50 and p90)',
      measured: `${ms(ignoring.median)} / ${ms(ignoring.p90)}`,
      met: worst <= 50,
      margin: worst <= 50 ? `met (within ${worst.toFixed(0)} ms)` : `missed by ${(worst - 50).toFixed(0)} ms`,
    });
  } else results.push({ target: 'SIGTERM-ignoring terminate 5.0 s ± 50 ms', measured: 'n/a', met: null, margin: 'not measured' });

  if (largest > 0) {
    const rss = get(`scale${largest}.daemon_rss`, 'sessiond');
    results.push(upTo(`${largest} sessions: daemon RSS ≤ 120 MB (worst trial)`, rss?.max ?? null, 120, mb));
    results.push(upTo(`${largest} sessions: PSS per session ≤ 2.2× a bare worker's`, ratio(get(`scale${largest}.pss_per_unit`, 'sessiond'), get(`scale${largest}.pss_per_unit`, 'floor')), 2.2, times));
    results.push(upTo(`${largest} sessions: list p50 ≤ 20 ms`, get(`scale${largest}.list`, 'sessiond')?.median ?? null, 20, ms));
  }
  const series = byKey.get('cycles.rss_last')?.series?.sessiond;
  if (series && series.length > 1) {
    const growth = series.at(-1)! - series[0]!;
    // "Flat": the last cycle within 10% of the first (allocator noise), and no steady climb.
    results.push(upTo(`daemon RSS flat over ${series.length} cycles (growth ≤ 10% of cycle 1)`, (growth / series[0]!) * 100, 10, (v) => `${v.toFixed(1)}% (${mb(series[0]!)} → ${mb(series.at(-1)!)})`));
  }
  // Bounded sessions (issue 10): the worst trial against the limit, and what a cgroup adds to a create.
  const worst = (key: string) => get(key, 'sessiond')?.max ?? null;
  if (byKey.has('limits.memory_cgroup')) {
    results.push(upTo('memory limit, cgroup: most held ≤ 1.0× the limit (worst trial)', share(worst('limits.memory_cgroup'), MEMORY_LIMIT_MIB), 1, times));
    results.push(upTo('memory limit, watchdog: most held ≤ 1.5× the limit (worst trial)', share(worst('limits.memory_watchdog'), MEMORY_LIMIT_MIB), 1.5, times));
    results.push(upTo('a cgroup per session adds ≤ 5 ms to create → active (p50 of paired rounds)', get('limits.create_cgroup_cost', 'sessiond')?.median ?? null, 5, ms));
  }
  results.push(upTo('send round trip p50 via SessionClient ≤ 2 ms', get('send.round_trip', 'sessiond')?.median ?? null, 2, ms));
  results.push(atLeast('send throughput, 100 in flight, p50 ≥ 5,000/s', get('send.throughput', 'sessiond')?.median ?? null, 5000, perSecond));
  const orphans = get('orphans.last_gone', 'sessiond');
  results.push(upTo('last session process gone ≤ 300 ms after the daemon’s SIGKILL (p90)', orphans && orphans.failed === 0 ? orphans.p90 : orphans?.n === 0 ? Infinity : (orphans?.p90 ?? null), 300, ms));
  return results;
}
