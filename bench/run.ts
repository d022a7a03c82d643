// npm run bench [-- --quick] [--only sessiond,floor] [--scenarios create,crash] [--out FILE] [--no-install]
// Runs every scenario with sessiond (spares on; spares off as sessiond-cold), PM2, supervisord and
// the floor side by side, prints the tables and writes the JSON. Everything it starts is stopped
// at the end, on failure and on Ctrl-C.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cleanupOnSignals, onCleanup, runCleanup } from './cleanup.js';
import { FULL_PLAN, QUICK_PLAN, type Figure, type Plan } from './figure.js';
import { Hub } from './hub.js';
import { machine, renderTables, writeJson, type SystemEntry } from './report.js';
import { unsetStartUpEnv } from './start-up-env.js';
import { createScenario } from './scenarios/create.js';
import { clusterScenario } from './scenarios/cluster.js';
import { crashScenario } from './scenarios/crash.js';
import { limitsScenario } from './scenarios/limits.js';
import { cyclesScenario } from './scenarios/cycles.js';
import { orphansScenario } from './scenarios/orphans.js';
import { scaleScenario } from './scenarios/scale.js';
import { sendScenario } from './scenarios/send.js';
import { execScenario } from './scenarios/exec.js';
import { progress } from './scenarios/trials.js';
import { startupScenario } from './scenarios/startup.js';
import { terminateScenario } from './scenarios/terminate.js';
import { checkTargets } from './targets.js';
import { sweepByEnv } from './proc.js';
import { SYSTEM_NAMES, type BenchContext, type System, type SystemName } from './system.js';
import { FloorSystem } from './systems/floor.js';
import { installPm2, pm2Dir, pm2Installed, Pm2System } from './systems/pm2.js';
import { SESSIOND_VARIANTS, SessiondSystem } from './systems/sessiond.js';
import { SupervisordSystem, supervisordVersion } from './systems/supervisord.js';

const SCENARIOS = {
  startup: startupScenario,
  create: createScenario,
  crash: crashScenario,
  terminate: terminateScenario,
  scale: scaleScenario,
  cycles: cyclesScenario,
  orphans: orphansScenario,
  limits: limitsScenario,
  send: sendScenario,
  exec: execScenario,
  cluster: clusterScenario,
} as const satisfies Record<string, (systems: readonly System[], plan: Plan, ctx: BenchContext) => Promise<Figure[]>>;
type ScenarioName = keyof typeof SCENARIOS;

const RUN_MARKER = 'SESSIOND_BENCH_RUN';

const USAGE = `Usage: npm run bench -- [--quick] [--only SYSTEMS] [--scenarios NAMES] [--out FILE] [--no-install]
  --quick       smoke mode: 2–3 trials, small scales; skips peers that are not installed
  --only        comma-separated subset of ${SYSTEM_NAMES.join(',')}
  --scenarios   comma-separated subset of ${Object.keys(SCENARIOS).join(',')}
  --out         where to write the JSON (default bench/results/latest.json)
  --no-install  do not install PM2 on first use (skip it instead)`;

function parseList<T extends string>(text: string | undefined, allowed: readonly T[], what: string): T[] {
  if (text === undefined) return [...allowed];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !allowed.includes(n as T));
  if (bad.length) throw new Error(`unknown ${what}: ${bad.join(', ')} (known: ${allowed.join(', ')})`);
  return names as T[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      scenarios: { type: 'string' },
      out: { type: 'string' },
      'no-install': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  const plan = values.quick ? QUICK_PLAN : FULL_PLAN;
  const wanted = parseList(values.only, SYSTEM_NAMES, 'system');
  const scenarios = parseList(values.scenarios, Object.keys(SCENARIOS) as ScenarioName[], 'scenario');
  const out = resolve(values.out ?? join(repo, 'bench/results/latest.json'));
  const { bin } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { bin: { sessionctl: string } };
  for (const built of ['dist/daemon/sessiond.js', 'dist/src/child/index.js', bin.sessionctl]) {
    if (!existsSync(join(repo, built))) throw new Error(`${built} is missing: run npm run build first`);
  }

  cleanupOnSignals();
  const startedAt = new Date();
  const tmp = await mkdtemp(join(tmpdir(), 'sessiond-bench-'));
  onCleanup(() => rm(tmp, { recursive: true, force: true }));
  // Every process started from here on inherits the marker; the sweep finds any left behind.
  process.env[RUN_MARKER] = tmp;
  onCleanup(() => {
    const killed = sweepByEnv(RUN_MARKER, tmp);
    if (killed > 0) console.error(`bench: cleanup: SIGKILLed ${killed} process(es) left behind`);
  });
  const hub = new Hub(tmp);
  await hub.listen();
  onCleanup(() => hub.close());
  const ctx: BenchContext = { repo, sessionctl: join(repo, bin.sessionctl), tmp, worker: join(repo, 'bench/workers/worker.mjs'), hub };

  const entries: SystemEntry[] = [];
  const systems: System[] = [];
  const add = (system: System) => {
    systems.push(system);
    entries.push({ name: system.name, driver: system.driver });
  };
  for (const name of wanted) {
    if (name === 'sessiond' || name === 'sessiond-cold') add(new SessiondSystem(ctx, SESSIOND_VARIANTS[name]));
    if (name === 'floor') add(new FloorSystem(ctx));
    if (name === 'pm2') {
      if (!pm2Installed() && (values.quick || values['no-install'])) {
        entries.push({ name, skipped: `not installed in ${pm2Dir()} (a full run installs it)` });
      } else {
        await installPm2();
        add(new Pm2System(ctx));
      }
    }
    if (name === 'supervisord') {
      const version = supervisordVersion();
      if (version === null) entries.push({ name, skipped: 'supervisord not found: install the Debian package (apt-get install -y supervisor)' });
      else add(new SupervisordSystem(ctx, version));
    }
  }
  const ordered = SYSTEM_NAMES.flatMap((name) => systems.filter((s) => s.name === name));

  // After the installs above, before the first process a scenario times (start-up-env.ts).
  const info = { ...machine(), unsetEnv: unsetStartUpEnv() };
  const figures: Figure[] = [];
  // The load average as each scenario starts: the machine may be shared, and its load moves wall times.
  const loads: Array<{ scenario: string; load: number[] }> = [];
  const save = () =>
    writeJson(out, { plan, systems: entries, figures, targets: checkTargets(figures), machine: info, loads, startedAt: startedAt.toISOString(), durationS: Math.round((Date.now() - startedAt.getTime()) / 1000) });
  for (const scenario of scenarios) {
    loads.push({ scenario, load: loadavg().map((l) => Number(l.toFixed(2))) });
    progress(`load average ${loads.at(-1)!.load.join(' ')}`);
    figures.push(...(await SCENARIOS[scenario](ordered, plan, ctx)));
    await save(); // a run cut short still leaves what it measured
  }

  const targets = checkTargets(figures);
  const loadRange = loads.map((l) => l.load[0]!);
  console.log(`\nsessiond bench${plan.quick ? ' (quick)' : ''}: ${startedAt.toISOString()}, ${info.nproc} × ${info.cpu}, ${info.memoryGiB} GiB, Node ${info.node}, load at start ${info.loadAtStart.join(' ')}, 1-min load as scenarios started ${Math.min(...loadRange)}–${Math.max(...loadRange)}${info.unsetEnv.length ? `; unset for the run: ${info.unsetEnv.join(', ')}` : ''}\n`);
  console.log(renderTables(figures, entries, targets));
  console.log(`\nwrote ${out}`);
  return 0;
}

// A stray rejection fails its trial at most: the run goes on, and cleans up at the end.
process.on('unhandledRejection', (error) => console.error(`bench: unhandled: ${error instanceof Error ? error.message : String(error)}`));

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  await runCleanup();
}
process.exit(code);
