// (0) Each entry's own start-up: spawn → its first IPC reply, minus a bare Node's in the same
// round. The supervisor answers a ping (it does before any init), the Placeholder an init (with
// ready); bare Node echoes. No daemon: what is measured is what every session pays per process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Figure, Plan } from '../figure.js';
import type { BenchContext, System } from '../system.js';
import { progress } from './trials.js';

interface Probe {
  readonly args: readonly string[];
  /** The first message it gets; the time is taken at its first reply. */
  readonly message: object;
}

const TIMEOUT_MS = 10_000;

/** ms from spawn to the process's first IPC message; it is SIGKILLed and reaped before this resolves. */
function replyTime(probe: Probe): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, probe.args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    let stderr = '';
    let elapsed: number | null = null;
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.once('message', () => {
      elapsed = performance.now() - t0;
      child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(timer);
      if (elapsed !== null) resolve(elapsed);
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
  const probes = {
    bare: { args: ['-e', 'process.on("message", (m) => process.send(m))'], message: { type: 'ping', seq: 1 } },
    supervisor: { args: [entry('session-supervisor')], message: { type: 'ping', seq: 1 } },
    placeholder: { args: [entry('placeholder')], message: { type: 'sessiond:init', init } },
  } satisfies Record<string, Probe>;
  const names = Object.keys(probes) as (keyof typeof probes)[];
  // One round untimed: the first spawns pay for cold disk caches.
  for (const name of names) await replyTime(probes[name]);
  const bare: number[] = [];
  const over = { supervisor: [] as (number | null)[], placeholder: [] as (number | null)[] };
  // Twice the plan's trials: a spawn is cheap, and a difference of two noisy times needs more of them.
  for (let round = 0; round < 2 * plan.trials; round++) {
    const times: Partial<Record<keyof typeof probes, number | null>> = {};
    // The order rotates each round, so drift hits every entry alike.
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      times[name] = await replyTime(probes[name]).catch((error: unknown) => {
        console.error(`bench: start-up of ${name}, trial ${round + 1} failed: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
    }
    const base = times.bare ?? null;
    if (base !== null) bare.push(base);
    for (const name of ['supervisor', 'placeholder'] as const) {
      const time = times[name] ?? null;
      over[name].push(time === null || base === null ? null : time - base);
    }
  }
  return [
    { key: 'startup.bare', label: 'start-up: bare node, spawn → first IPC reply', unit: 'ms', samples: { floor: bare } },
    { key: 'startup.supervisor', label: 'start-up over bare Node: supervisor (spawn → pong)', unit: 'ms', samples: { sessiond: over.supervisor } },
    { key: 'startup.placeholder', label: 'start-up over bare Node: Placeholder (spawn → ready)', unit: 'ms', samples: { sessiond: over.placeholder } },
  ];
}
