// The report: tables on stdout (figures, ratios, targets) and the JSON written to results/.
import { execFileSync } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { Figure, Plan } from './figure.js';
import { ratio, summarize, type Summary } from './stats.js';
import { SYSTEM_NAMES, type SystemName } from './system.js';
import type { TargetResult } from './targets.js';

export interface SystemEntry {
  readonly name: SystemName;
  readonly driver?: string;
  /** Why it was left out of the run. */
  readonly skipped?: string;
}

export function machine() {
  return {
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    loadAtStart: loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
  };
}

const RATIO_PAIRS: ReadonlyArray<readonly [SystemName, SystemName]> = [
  ['sessiond', 'floor'],
  ['sessiond-cold', 'floor'],
  ['pm2', 'floor'],
  ['supervisord', 'floor'],
  ['sessiond', 'pm2'],
  ['sessiond-cold', 'pm2'],
  ['sessiond', 'supervisord'],
];

function format(value: number, unit: Figure['unit']): string {
  if (!Number.isFinite(value)) return '—';
  if (unit === 'MB') return value.toFixed(1);
  return value < 10 ? value.toFixed(1) : value.toFixed(0);
}

function cell(figure: Figure, summary: Summary | null): string {
  if (!summary) return '—';
  if (summary.n === 0) return figure.limit !== undefined ? `> ${figure.limit} (never)` : `failed (${summary.failed})`;
  const p90 = summary.failed > 0 && figure.limit !== undefined ? `> ${figure.limit}` : format(summary.p90, figure.unit);
  const single = summary.n === 1 && summary.failed === 0;
  const failed = summary.failed > 0 && figure.limit === undefined ? ` (${summary.failed} failed)` : '';
  return (single ? format(summary.median, figure.unit) : `${format(summary.median, figure.unit)} / ${p90}`) + failed;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function renderTables(figures: readonly Figure[], systems: readonly SystemEntry[], targets: readonly TargetResult[]): string {
  const present = SYSTEM_NAMES.filter((name) => systems.some((s) => s.name === name && !s.skipped));
  const valueRows = figures.map((f) => [`${f.label} (${f.unit})`, ...present.map((name) => cell(f, summarize(f.samples[name] ?? [])))]);
  const pairs = RATIO_PAIRS.filter(([a, b]) => present.includes(a) && present.includes(b));
  const ratioRows = figures.map((f) => [
    f.label,
    ...pairs.map(([a, b]) => {
      const r = ratio(summarize(f.samples[a] ?? []), summarize(f.samples[b] ?? []));
      return r === null ? '—' : `${r.toFixed(2)}×`;
    }),
  ]);
  const notes = figures.flatMap((f) => Object.entries(f.notes ?? {}).map(([name, note]) => `- ${f.label}, ${name}: ${note}`));
  const skipped = systems.filter((s) => s.skipped).map((s) => `- ${s.name} skipped: ${s.skipped}`);
  return [
    'Median / p90 (single figures: one trial)',
    table(['figure', ...present], valueRows),
    '',
    'Ratios of medians',
    table(['figure', ...pairs.map(([a, b]) => `${a} ÷ ${b}`)], ratioRows),
    '',
    'Targets (issues 5 and 11)',
    table(['target', 'measured', 'verdict'], targets.map((t) => [t.target, t.measured, t.margin])),
    ...(notes.length || skipped.length ? ['', ...skipped, ...notes] : []),
  ].join('\n');
}

export async function writeJson(path: string, data: { plan: Plan; systems: readonly SystemEntry[]; figures: readonly Figure[]; targets: readonly TargetResult[]; machine: ReturnType<typeof machine> & { unsetEnv: readonly string[] }; loads: ReadonlyArray<{ scenario: string; load: number[] }>; startedAt: string; durationS: number }): Promise<void> {
  const figures = data.figures.map((f) => ({
    ...f,
    summary: Object.fromEntries(Object.entries(f.samples).map(([name, samples]) => [name, summarize(samples ?? [])])),
    ratios: Object.fromEntries(
      RATIO_PAIRS.map(([a, b]) => [`${a}/${b}`, ratio(summarize(f.samples[a] ?? []), summarize(f.samples[b] ?? []))]).filter(([, r]) => r !== null),
    ),
  }));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify({ ...data, figures }, null, 2) + '\n');
  await rename(`${path}.tmp`, path);
}
