// The targets of the issues (5, 11, 16–18), checked against sessiond's figures: met, or missed by how much.
// `sessiond` is the daemon with its defaults (spares on), `sessiond-cold` the one with spares off.
import type { Figure } from './figure.js';
import { MEMORY_LIMIT_MIB } from './scenarios/limits.js';
import { ratio, summarize, type Summary } from './stats.js';
import type { SystemName } from './system.js';

export interface TargetResult {
  readonly target: string;
  readonly measured: string;
  /** null when the figures needed are missing (a scenario not run, or every trial failed), or the row only reports. */
  readonly met: boolean | null;
  readonly margin: string;
}

const NOT_MEASURED = { measured: 'n/a', met: null, margin: 'not measured' } as const;

function upTo(target: string, value: number | null, limit: number, show: (v: number) => string): TargetResult {
  if (value === null || !Number.isFinite(value)) return { target, ...NOT_MEASURED };
  const met = value <= limit;
  const pct = ((value - limit) / limit) * 100;
  return { target, measured: show(value), met, margin: met ? `met (${Math.abs(pct).toFixed(0)}% under)` : `missed by ${show(value - limit)} (${pct.toFixed(0)}% over)` };
}

function atLeast(target: string, value: number | null, limit: number, show: (v: number) => string): TargetResult {
  if (value === null || !Number.isFinite(value)) return { target, ...NOT_MEASURED };
  const met = value >= limit;
  const pct = ((limit - value) / limit) * 100;
  return { target, measured: show(value), met, margin: met ? `met (${show(value - limit)} to spare)` : `missed by ${show(limit - value)} (${pct.toFixed(0)}% short)` };
}

const perSecond = (v: number) => `${Math.round(v).toLocaleString('en-US')}/s`;
const ms = (v: number) => `${v.toFixed(Math.abs(v) < 10 ? 1 : 0)} ms`;
const mb = (v: number) => `${v.toFixed(1)} MB`;
const times = (v: number) => `${v.toFixed(2)}×`;

function share(value: number | null, of: number): number | null {
  return value === null ? null : value / of;
}

export function checkTargets(figures: readonly Figure[]): TargetResult[] {
  const byKey = new Map(figures.map((f) => [f.key, f]));
  const get = (key: string, system: SystemName): Summary | null => summarize(byKey.get(key)?.samples[system] ?? []);
  const median = (key: string, system: SystemName) => get(key, system)?.median ?? null;
  const vs = (key: string, a: SystemName, b: SystemName) => ratio(get(key, a), get(key, b));
  const sizes = figures.map((f) => /^scale(\d+)\.create_all$/.exec(f.key)?.[1]).filter(Boolean).map(Number);
  const largest = Math.max(0, ...sizes);
  const results: TargetResult[] = [];

  // Issue 11: a session in milliseconds from a spare, the cold path at the two-start floor.
  results.push(upTo('supervisor start-up p50 ≤ 15 ms over bare Node', median('startup.supervisor', 'sessiond'), 15, ms));
  results.push(upTo('Placeholder start-up p50 ≤ 5 ms over bare Node', median('startup.placeholder', 'sessiond'), 5, ms));
  results.push(upTo('warm: create → active of a default session via SessionClient p50 ≤ 10 ms', median('create.client', 'sessiond'), 10, ms));
  results.push(atLeast('warm: ≥ 10× ahead of PM2’s start (PM2 ÷ sessiond)', vs('create.client', 'pm2', 'sessiond'), 10, times));
  const cli = median('create.cli', 'sessiond');
  const cliStartup = median('create.cli_startup', 'sessiond');
  const cliTarget = 'warm: sessionctl create p50 ≤ the CLI’s own start-up + 15 ms';
  if (cli === null || cliStartup === null || !Number.isFinite(cli) || !Number.isFinite(cliStartup)) results.push({ target: cliTarget, ...NOT_MEASURED });
  else results.push({ ...upTo(cliTarget, cli - cliStartup, 15, ms), measured: `${ms(cli)} = start-up ${ms(cliStartup)} + ${ms(cli - cliStartup)}` });
  // Isolated sessions (issue 16): from an isolated spare, as fast as a plain create from a plain one (paired rounds).
  const [plain, isolated] = [median('create.isolated_plain', 'sessiond'), median('create.isolated', 'sessiond')];
  if (plain !== null && isolated !== null) results.push({ ...upTo('isolated: create --isolate p50 ≤ 1.2× a plain create from a spare', isolated / plain, 1.2, times), measured: `${times(isolated / plain)} (${ms(isolated)} against ${ms(plain)})` });
  else results.push({ target: 'isolated: create --isolate p50 ≤ 1.2× a plain create from a spare', ...NOT_MEASURED });
  results.push(upTo('cold (a Node module child, no spare): create → active p50 ≤ 2.1× the floor', vs('create.client', 'sessiond-cold', 'floor'), 2.1, times));
  for (const size of sizes) {
    const key = `scale${size}.create_all`;
    results.push(upTo(`${size} concurrent default creates → all active ≤ 2.1× the floor’s ${size} bare workers`, vs(key, 'sessiond', 'floor'), 2.1, times));
    results.push(upTo(`${size} concurrent default creates → all active ahead of PM2 (≤ 1×)`, vs(key, 'sessiond', 'pm2'), 1, times));
    const all = get(key, 'sessiond');
    if (all) results.push({ target: `${size} concurrent default creates: every one active`, measured: `${all.n} of ${all.n + all.failed} trials with all ${size}`, met: all.failed === 0 && all.n > 0, margin: all.failed === 0 && all.n > 0 ? 'met' : `missed in ${all.failed} trial(s)` });
  }
  if (largest > 0) {
    results.push(upTo(`${largest} sessions: PSS per session ≤ 2.0× a bare worker’s`, vs(`scale${largest}.pss_per_unit`, 'sessiond', 'floor'), 2.0, times));
    results.push(upTo(`${largest} sessions: daemon RSS ≤ 120 MB (worst trial)`, get(`scale${largest}.daemon_rss`, 'sessiond')?.max ?? null, 120, mb));
  }
  const series = byKey.get('cycles.rss_last')?.series?.sessiond;
  if (series && series.length > 1) {
    const growth = series.at(-1)! - series[0]!;
    // "Flat": the last cycle within 10% of the first (allocator noise), and no steady climb.
    results.push(upTo(`daemon RSS flat over ${series.length} cycles (growth ≤ 10% of cycle 1)`, (growth / series[0]!) * 100, 10, (v) => `${v.toFixed(1)}% (${mb(series[0]!)} → ${mb(series.at(-1)!)})`));
  }
  const spare = get('create.spare_pss', 'sessiond');
  results.push({ target: 'an idle spare’s PSS (supervisor + Placeholder): reported', measured: spare && spare.n > 0 ? mb(spare.median) : 'n/a', met: null, margin: spare && spare.n > 0 ? 'reported' : 'not measured' });
  results.push(upTo('crash → replacement ready p50 ≤ 1.1× the floor', vs('crash.replacement_ready', 'sessiond', 'floor'), 1.1, times));

  // Issue 5, still held.
  results.push(upTo('crash → replacement ready p50 ahead of PM2 (≤ 1×)', vs('crash.replacement_ready', 'sessiond', 'pm2'), 1, times));
  results.push(upTo('cooperative terminate p50 ≤ 25 ms', median('terminate.cooperative', 'sessiond'), 25, ms));
  const ignoring = get('terminate.ignoring', 'sessiond');
  if (ignoring && ignoring.n > 0) {
    const worst = Math.max(Math.abs(ignoring.median - 5000), Math.abs(ignoring.p90 - 5000));
    results.push({
      target: 'SIGTERM-ignoring terminate 5.0 s ± 50 ms (p50 and p90)',
      measured: `${ms(ignoring.median)} / ${ms(ignoring.p90)}`,
      met: worst <= 50,
      margin: worst <= 50 ? `met (within ${worst.toFixed(0)} ms)` : `missed by ${(worst - 50).toFixed(0)} ms`,
    });
  } else results.push({ target: 'SIGTERM-ignoring terminate 5.0 s ± 50 ms', ...NOT_MEASURED });
  if (largest > 0) results.push(upTo(`${largest} sessions: list p50 ≤ 20 ms`, median(`scale${largest}.list`, 'sessiond'), 20, ms));
  // Bounded sessions (issue 10): the worst trial against the limit, and what a cgroup adds to a create.
  const worst = (key: string) => get(key, 'sessiond')?.max ?? null;
  if (byKey.has('limits.memory_cgroup')) {
    results.push(upTo('memory limit, cgroup: most held ≤ 1.0× the limit (worst trial)', share(worst('limits.memory_cgroup'), MEMORY_LIMIT_MIB), 1, times));
    results.push(upTo('memory limit, watchdog: most held ≤ 1.5× the limit (worst trial)', share(worst('limits.memory_watchdog'), MEMORY_LIMIT_MIB), 1.5, times));
    results.push(upTo('a cgroup per session adds ≤ 5 ms to create → active (p50 of paired rounds)', median('limits.create_cgroup_cost', 'sessiond'), 5, ms));
  }
  // Live sessions (issue 9).
  results.push(upTo('send round trip p50 via SessionClient ≤ 2 ms', median('send.round_trip', 'sessiond'), 2, ms));
  results.push(atLeast('send throughput, 100 in flight, p50 ≥ 5,000/s', median('send.throughput', 'sessiond'), 5000, perSecond));
  // Working inside a session (issue 17).
  const floorTrue = median('exec.true', 'floor');
  results.push(upTo('exec of true via SessionClient p50 ≤ 2× a bare spawn + 3 ms', floorTrue === null ? null : median('exec.true', 'sessiond'), 2 * (floorTrue ?? 0) + 3, ms));
  results.push(atLeast('head -c 100M through exec p50 ≥ 200 MB/s', median('exec.throughput', 'sessiond'), 200, (v) => `${v.toFixed(0)} MB/s`));
  results.push(upTo('sessionctl exec ID -- true p50 ≤ 1.3× node -e 0', vs('exec.cli', 'sessiond', 'floor'), 1.3, times));
  const orphans = get('orphans.last_gone', 'sessiond');
  const orphansTarget = 'last session process gone ≤ 300 ms after the daemon’s SIGKILL (p90)';
  // A trial past the limit means a process that never went: the p90 is then "never".
  if (orphans && orphans.failed > 0) results.push({ target: orphansTarget, measured: `never, in ${orphans.failed} trial(s)`, met: false, margin: 'missed' });
  else results.push(upTo(orphansTarget, orphans?.p90 ?? null, 300, ms));
  // Many hosts (issue 18): the cluster's create beside a local one in the same run, and list across 3 nodes.
  const [local, remote] = [median('cluster.create_local', 'sessiond'), median('cluster.create_remote', 'sessiond')];
  if (local !== null && remote !== null) results.push({ ...upTo('create through the cluster p50 ≤ 1.3× a local create + 15 ms', remote, 1.3 * local + 15, ms), measured: `${ms(remote)} (local ${ms(local)})` });
  else results.push({ target: 'create through the cluster p50 ≤ 1.3× a local create + 15 ms', ...NOT_MEASURED });
  const across = byKey.get('cluster.list_all');
  results.push(upTo(`${across?.label ?? 'list across 3 nodes'} p50 ≤ 100 ms`, median('cluster.list_all', 'sessiond'), 100, ms));
  return results;
}
