// (9) exec: a command run inside a session (issue 17), each figure beside its floor in the same run:
// exec of `true` through SessionClient, and through a SessionManager in this process, against a
// bare spawn('true') from Node (the three in turn); the throughput of
// `head -c 100M /dev/zero` through exec against the same command read straight from a pipe; and
// `sessionctl exec ID -- true` against `node -e 0`, in paired runs (one of each, in turn).
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionClient, SessionManager } from 'sessiond';
import type { Figure, Plan } from '../figure.js';
import type { BenchContext, System } from '../system.js';
import { progress } from './trials.js';

const BYTES = 100 * 1024 * 1024;

export async function execScenario(_systems: readonly System[], plan: Plan, ctx: BenchContext): Promise<Figure[]> {
  progress('exec: true, throughput, sessionctl exec');
  const home = await mkdtemp(join(ctx.tmp, 'exec-'));
  const client = new SessionClient({ home, autoStart: true });
  const manager = new SessionManager({ home: await mkdtemp(join(ctx.tmp, 'exec-manager-')) });
  try {
    await client.create({ id: 'bench-exec' });
    await manager.createSession({ id: 'bench-exec' });
    const runs = plan.quick ? 30 : 300;
    const floorTrue: number[] = [];
    const execTrue: number[] = [];
    const managerTrue: number[] = [];
    for (let i = 0; i < runs + 10; i++) {
      const bare = await timed(() => exitOf(spawn('true', { stdio: 'ignore' })));
      const exec = await timed(async () => void (await client.exec('bench-exec', ['true'])));
      const inProcess = await timed(async () => void (await manager.exec('bench-exec', ['true'])));
      if (i >= 10) floorTrue.push(bare), execTrue.push(exec), managerTrue.push(inProcess); // the first ten warm every path
    }
    const floorRate: number[] = [];
    const execRate: number[] = [];
    for (let i = 0; i < (plan.quick ? 2 : 5); i++) {
      floorRate.push(await throughput(async () => drain(spawn('head', ['-c', String(BYTES), '/dev/zero'], { stdio: ['ignore', 'pipe', 'ignore'] }).stdout!)));
      execRate.push(await throughput(async () => {
        const proc = await client.spawn('bench-exec', ['head', '-c', String(BYTES), '/dev/zero']);
        proc.stdin.end();
        const [bytes] = await Promise.all([drain(proc.stdout), proc.wait()]);
        return bytes;
      }));
    }
    const nodeStart: number[] = [];
    const cliExec: number[] = [];
    for (let i = 0; i < (plan.quick ? 5 : 30) + 2; i++) {
      const bare = await timed(() => exitOf(spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' })));
      const viaCli = await timed(() => exitOf(spawn(process.execPath, [ctx.sessionctl, '--home', home, 'exec', 'bench-exec', '--', 'true'], { stdio: 'ignore' })));
      if (i >= 2) nodeStart.push(bare), cliExec.push(viaCli);
    }
    return [
      { key: 'exec.true', label: 'exec of `true` → exit: SessionClient.exec (floor: bare spawn from Node)', unit: 'ms', samples: { sessiond: execTrue, floor: floorTrue } },
      { key: 'exec.manager', label: 'exec of `true` → exit: SessionManager.exec in this process (floor: bare spawn from Node)', unit: 'ms', samples: { sessiond: managerTrue, floor: floorTrue } },
      { key: 'exec.throughput', label: 'head -c 100M /dev/zero through exec (floor: read from its own pipe)', unit: 'MB/s', samples: { sessiond: execRate, floor: floorRate } },
      { key: 'exec.cli', label: 'sessionctl exec ID -- true (floor: node -e 0), paired runs', unit: 'ms', samples: { sessiond: cliExec, floor: nodeStart } },
    ];
  } finally {
    await client.stop().catch(() => undefined);
    await manager.shutdown();
    client.close();
  }
}

async function timed(body: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await body();
  return performance.now() - t0;
}

// MB/s (of 10^6 bytes) of what `body` read; a short read fails the trial.
async function throughput(body: () => Promise<number>): Promise<number> {
  const t0 = performance.now();
  const bytes = await body();
  if (bytes !== BYTES) throw new Error(`read ${bytes} bytes of ${BYTES}`);
  return bytes / 1e6 / ((performance.now() - t0) / 1000);
}

async function drain(stream: NodeJS.ReadableStream): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

function exitOf(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve, reject) => child.once('exit', () => resolve()).once('error', reject));
}
