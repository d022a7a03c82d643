// (8) Bounded sessions: how far a session that allocates without end gets past --memory-max
// before it is killed (with a cgroup, and with the daemon's watchdog: --cgroups off), and what
// a cgroup per session costs on create → active. sessiond alone: no peer has this to compare.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Figure, Plan } from '../figure.js';
import { isGone, waitGone } from '../proc.js';
import type { Sample } from '../stats.js';
import { unitName, type BenchContext, type System } from '../system.js';
import { SESSIOND_VARIANTS, SessiondSystem } from '../systems/sessiond.js';
import { message, progress } from './trials.js';

const MiB = 1024 * 1024;
/** The limit of the memory trials, as `--memory-max 200M`. */
export const MEMORY_LIMIT_MIB = 200;

export async function limitsScenario(systems: readonly System[], plan: Plan, ctx: BenchContext): Promise<Figure[]> {
  if (!systems.some((s) => s.name === 'sessiond')) return [];
  const withCgroups = new SessiondSystem(ctx);
  const watchdog = new SessiondSystem(ctx, SESSIOND_VARIANTS.sessiond, ['--cgroups', 'off']);
  try {
    await withCgroups.setup();
    await watchdog.setup();
    const mode = (await withCgroups.status()).cgroups?.mode ?? 'none';
    const note = mode === 'none' ? 'this host offers no cgroup: both daemons use the watchdog' : `cgroups: ${mode}`;
    const trials = plan.quick ? 2 : 5;
    progress(`memory limit: a child allocating 20 MiB every 100 ms under --memory-max ${MEMORY_LIMIT_MIB}M`);
    const cgroupPeaks = await repeat(trials, () => memoryTrial(withCgroups));
    const watchdogPeaks = await repeat(trials, () => memoryTrial(watchdog));
    progress('create → active with and without a cgroup per session');
    const created: Sample[] = [];
    const createdBare: Sample[] = [];
    for (let round = 0; round < plan.trials; round++) {
      // Alternating, so that drift in the machine's load hits both alike.
      created.push(await createTrial(withCgroups).catch(failed));
      createdBare.push(await createTrial(watchdog).catch(failed));
    }
    return [
      { key: 'limits.memory_cgroup', label: `memory limit ${MEMORY_LIMIT_MIB} MiB, cgroup: most the child held (MiB)`, unit: 'MB', samples: { sessiond: cgroupPeaks }, notes: { sessiond: note } },
      { key: 'limits.memory_watchdog', label: `memory limit ${MEMORY_LIMIT_MIB} MiB, watchdog (--cgroups off): most the child held (MiB)`, unit: 'MB', samples: { sessiond: watchdogPeaks } },
      { key: 'limits.create_cgroup', label: 'create → active, a cgroup per session', unit: 'ms', samples: { sessiond: created } },
      { key: 'limits.create_no_cgroup', label: 'create → active, --cgroups off', unit: 'ms', samples: { sessiond: createdBare } },
      { key: 'limits.create_cgroup_cost', label: 'create → active, with a cgroup minus without (paired rounds)', unit: 'ms', samples: { sessiond: created.map((t, i) => difference(t, createdBare[i] ?? null)) } },
    ];
  } finally {
    await withCgroups.teardown();
    await watchdog.teardown();
  }
}

// The most anonymous memory the child held (RssAnon, read every 5 ms until it is killed): what it
// allocated, without the Node binary's and libraries' pages, which are shared and charged elsewhere.
async function memoryTrial(system: SessiondSystem): Promise<Sample> {
  const info = await system.createSession({
    id: unitName('memory'),
    memoryMax: MEMORY_LIMIT_MIB * MiB,
    children: [{ name: 'alloc', file: join(system.repo, 'bench/workers/alloc.mjs'), restart: 'temporary' }],
  });
  const pid = info.children[0]?.pid;
  if (!pid) throw new Error('the allocating child has no pid');
  let peak = 0;
  const deadline = performance.now() + 20_000;
  while (!isGone(pid) && performance.now() < deadline) {
    peak = Math.max(peak, anonRss(pid));
    await sleep(5);
  }
  const killed = isGone(pid);
  await system.stop({ id: info.id, pids: [], workerPid: pid });
  return killed ? peak / MiB : null;
}

async function createTrial(system: SessiondSystem): Promise<Sample> {
  const t0 = performance.now();
  const unit = await system.start(unitName('create'));
  const elapsed = performance.now() - t0;
  await system.stop(unit);
  await waitGone(unit.pids, performance.now(), 10_000);
  return elapsed;
}

// Paired rounds ran back to back: their difference leaves out most of the drift of a shared machine.
function difference(a: Sample, b: Sample): Sample {
  return a === null || b === null ? null : a - b;
}

function anonRss(pid: number): number {
  try {
    return Number(/^RssAnon:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

async function repeat(trials: number, trial: () => Promise<Sample>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < trials; i++) samples.push(await trial().catch(failed));
  return samples;
}

function failed(error: unknown): null {
  console.error(`bench: limits: trial failed: ${message(error)}`);
  return null;
}
