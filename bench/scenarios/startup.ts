// (0) Each entry's own start-up: spawn → its first IPC reply, minus a bare Node's in the same
// round. The supervisor answers a ping (it does before any init), the Placeholder an init (with
// ready); bare Node echoes. No daemon: what is measured is what every session pays per process.
// Beside the wall time, the CPU time the process used until its reply (every thread's, from
// /proc), which the load of a shared machine hardly moves.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Figure, Plan } from '../figure.js';
import { cpuMs } from '../proc.js';
import type { BenchContext, System } from '../system.js';
import { message, progress } from './trials.js';

interface Probe {
  readonly args: readonly string[];
  /** The first message it gets; the time is taken at its first reply. */
  readonly message: object;
}

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

const TIMEOUT_MS = 10_000;

/** Spawn → the process's first IPC message; it is SIGKILLed and reaped before this resolves. */
function replyTime(probe: Probe): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, probe.args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    let stderr = '';
    let timing: Timing | null = null;
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.once('message', () => {
      const wallMs = performance.now() - t0;
      timing = { wallMs, cpuMs: cpuMs(child.pid!) ?? NaN };
      child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(timer);
      if (timing !== null) resolve(timing);
      else reject(new Error(`${probe.args.join(' ')} exited without a reply${stderr ? `: ${stderr.trim()}` : ''}`));
    });
    child.send(probe.message, () => undefined);
  });
}

export async function startupScenario(systems: readonly System[], plan: Plan, ctx: BenchContext): Promise<Figure[]> {
  if (!systems.some((s) => s.name === 'sessiond')) return [];
  progress('start-up of each entry over bare Node');
  const entry = (name: string) => join(ctx.repo, 'dist/children', `${name}.js`);
  const init = { session: 'bench', name: 'placeholder', metadata: {}, llmConfig: {}, heartbeatMs: 60_000 };
  const child = nodeChildren(ctx);
  const probes = {
    bare: { args: ['-e', 'process.on("message", (m) => process.send(m))'], message: { type: 'ping', seq: 1 } },
    supervisor: { args: [entry('session-supervisor')], message: { type: 'ping', seq: 1 } },
    placeholder: { args: [entry('placeholder')], message: { type: 'sessiond:init', init } },
    // A user's child importing 'sessiond/child': installed next to it, or found through the supervisor's resolve hook.
    child: { args: [child.installed], message: { type: 'sessiond:init', init } },
    hooked: { args: ['--import', child.hook, child.loose], message: { type: 'sessiond:init', init } },
  } satisfies Record<string, Probe>;
  type Name = keyof typeof probes;
  const names = Object.keys(probes) as Name[];
  // One round untimed: the first spawns pay for cold disk caches.
  for (const name of names) await replyTime(probes[name]);
  const rounds: Array<Partial<Record<Name, Timing | null>>> = [];
  // Twice the plan's trials: a spawn is cheap, and a difference of two noisy times needs more of them.
  for (let round = 0; round < 2 * plan.trials; round++) {
    const times: Partial<Record<Name, Timing | null>> = {};
    // The order rotates each round, so drift hits every entry alike.
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      times[name] = await replyTime(probes[name]).catch((error: unknown) => {
        console.error(`bench: start-up of ${name}, trial ${round + 1} failed: ${message(error)}`);
        return null;
      });
    }
    rounds.push(times);
  }
  const over = (name: Name, of: keyof Timing) =>
    rounds.map((r) => {
      const [time, bare] = [r[name], r.bare];
      return time && bare ? time[of] - bare[of] : null;
    });
  const bare = (of: keyof Timing) => rounds.map((r) => r.bare?.[of] ?? null);
  const hookCost = (of: keyof Timing) => rounds.map((r) => (r.hooked && r.child ? r.hooked[of] - r.child[of] : null));
  return [
    { key: 'startup.bare', label: 'start-up: bare node, spawn → first IPC reply', unit: 'ms', samples: { floor: bare('wallMs') } },
    { key: 'startup.supervisor', label: 'start-up over bare Node: supervisor (spawn → pong)', unit: 'ms', samples: { sessiond: over('supervisor', 'wallMs') } },
    { key: 'startup.placeholder', label: 'start-up over bare Node: Placeholder (spawn → ready)', unit: 'ms', samples: { sessiond: over('placeholder', 'wallMs') } },
    { key: 'startup.bare_cpu', label: 'start-up CPU: bare node, until its reply', unit: 'ms', samples: { floor: bare('cpuMs') } },
    { key: 'startup.supervisor_cpu', label: 'start-up CPU over bare Node: supervisor', unit: 'ms', samples: { sessiond: over('supervisor', 'cpuMs') } },
    { key: 'startup.placeholder_cpu', label: 'start-up CPU over bare Node: Placeholder', unit: 'ms', samples: { sessiond: over('placeholder', 'cpuMs') } },
    { key: 'startup.child', label: "start-up over bare Node: a child importing 'sessiond/child' (installed next to it)", unit: 'ms', samples: { sessiond: over('child', 'wallMs') } },
    { key: 'startup.hook', label: "start-up cost of the resolve hook ('sessiond/child' from anywhere)", unit: 'ms', samples: { sessiond: hookCost('wallMs') } },
    { key: 'startup.hook_cpu', label: 'start-up CPU cost of the resolve hook', unit: 'ms', samples: { sessiond: hookCost('cpuMs') } },
  ];
}

/** The same child twice: in a folder whose node_modules has sessiond, and in one without (it needs the hook). */
function nodeChildren(ctx: BenchContext): { installed: string; loose: string; hook: string } {
  const body = "import { startChild } from 'sessiond/child';\nawait startChild();\n";
  const [installed, loose] = [join(ctx.tmp, 'child-installed'), join(ctx.tmp, 'child-loose')];
  mkdirSync(join(installed, 'node_modules'), { recursive: true });
  mkdirSync(loose, { recursive: true });
  symlinkSync(ctx.repo, join(installed, 'node_modules', 'sessiond'), 'dir');
  for (const dir of [installed, loose]) writeFileSync(join(dir, 'agent.mjs'), body);
  const hook = pathToFileURL(join(ctx.repo, 'dist', 'src', 'child', 'anywhere', 'import.js')).href;
  return { installed: join(installed, 'agent.mjs'), loose: join(loose, 'agent.mjs'), hook };
}
