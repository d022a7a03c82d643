import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKER_VAR, markerEnv, runningMarked, type Marker } from '../../src/process/marker.js';
import { spawnProcess, type Spawned } from '../../src/process/spawn.js';
import { expectAllGone, killAll, tempHome, waitFor } from '../helpers/proc.js';
import { comm, loneThread, makeZombie, readPids, shell } from './shell.js';

let home: ReturnType<typeof tempHome>;
const seen = new Set<number>();
const note = (pids: number[]) => (pids.forEach((pid) => seen.add(pid)), pids);

afterEach(async () => {
  killAll(seen);
  try {
    await expectAllGone([...seen]);
  } finally {
    seen.clear();
    home?.cleanup();
  }
});

// Session ids unique to this test process: a marker sweep reaches every process of the machine.
const s1 = `mk${process.pid}-s1`;
const s10 = `mk${process.pid}-s10`;

// Resolves once the process runs `sleep`: before its exec, its environ is still ours.
async function sleeper(env: Record<string, string>): Promise<Spawned> {
  const proc = spawnProcess({ command: 'sleep' }, { args: ['1000'], env, stdout: 'ignore', stderr: 'ignore' });
  seen.add(proc.pid);
  await waitFor(() => comm(proc.pid) === 'sleep', `pid ${proc.pid} to run sleep`);
  return proc;
}

const sorted = (pids: number[]) => [...pids].sort((a, b) => a - b);

function expectMarked(marker: Marker, expected: number[]): void {
  expect(sorted(runningMarked(marker))).toEqual(sorted(expected));
}

describe('markerEnv', () => {
  it('names the session, the child and the run in SUPERVISED_RUN', () => {
    expect(MARKER_VAR).toBe('SUPERVISED_RUN');
    expect(markerEnv({ session: 's', child: 'c', run: 7 })).toEqual({ SUPERVISED_RUN: 's/c/7' });
  });
});

describe('runningMarked', () => {
  it('a run marker matches that run only: not the next run, a longer run number, a longer child name, another session', async () => {
    const run1 = await sleeper(markerEnv({ session: s1, child: 'a', run: 1 }));
    const run2 = await sleeper(markerEnv({ session: s1, child: 'a', run: 2 }));
    const run10 = await sleeper(markerEnv({ session: s1, child: 'a', run: 10 }));
    const childAb = await sleeper(markerEnv({ session: s1, child: 'ab', run: 1 }));
    const s10a1 = await sleeper(markerEnv({ session: s10, child: 'a', run: 1 }));
    expectMarked({ session: s1, child: 'a', run: 1 }, [run1.pid]);
    expectMarked({ session: s1, child: 'a', run: 2 }, [run2.pid]);
    expectMarked({ session: s1, child: 'a', run: 10 }, [run10.pid]);
    expectMarked({ session: s1, child: 'ab', run: 1 }, [childAb.pid]);
    expectMarked({ session: s10, child: 'a', run: 1 }, [s10a1.pid]);
    expectMarked({ session: s1, child: 'a', run: 3 }, []);
  });

  it("the session marker matches every child of the session, never a session whose id it prefixes", async () => {
    const own = [
      await sleeper(markerEnv({ session: s1, child: 'a', run: 1 })),
      await sleeper(markerEnv({ session: s1, child: 'a', run: 2 })),
      await sleeper(markerEnv({ session: s1, child: 'b', run: 1 })),
    ];
    const other = await sleeper(markerEnv({ session: s10, child: 'a', run: 1 }));
    expectMarked({ session: s1 }, own.map((p) => p.pid));
    expectMarked({ session: s10 }, [other.pid]);
    expectMarked({ session: `mk${process.pid}-s` }, []);
  });

  it('matches the whole variable only: not in another name, not inside a value', async () => {
    const marked = await sleeper({ ...markerEnv({ session: s1, child: 'a', run: 1 }), FIRST: 'x', LAST: 'y' });
    await sleeper({ [`NOT_${MARKER_VAR}`]: `${s1}/a/1` });
    await sleeper({ OTHER: `${MARKER_VAR}=${s1}/a/1` });
    expectMarked({ session: s1, child: 'a', run: 1 }, [marked.pid]);
    expectMarked({ session: s1 }, [marked.pid]);
  });

  it('matches the marker as the first variable of an environment, and a look-alike there never', async () => {
    // Nothing of ours before it: the entry starts the environ, with no NUL before it.
    const first = spawn('sleep', ['1000'], { env: { [MARKER_VAR]: `${s1}/a/1` }, stdio: 'ignore' });
    const lookAlike = spawn('sleep', ['1000'], { env: { [`X${MARKER_VAR}`]: `${s1}/a/1` }, stdio: 'ignore' });
    for (const proc of [first, lookAlike]) {
      seen.add(proc.pid!);
      await waitFor(() => comm(proc.pid!) === 'sleep', `pid ${proc.pid} to run sleep`);
    }
    expectMarked({ session: s1, child: 'a', run: 1 }, [first.pid!]);
    expectMarked({ session: s1 }, [first.pid!]);
  });

  it("finds a run's descendants, which inherit the marker, and skips zombies", async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const marker = { session: s1, child: 'tree', run: 1 };
    const proc = shell(`sleep 1000 & echo $! >> ${file}; sleep 1000 & echo $! >> ${file}; exec sleep 1001`, markerEnv(marker));
    seen.add(proc.pid);
    const [descendant, zombie] = note(await readPids(file, 2));
    await makeZombie(proc.pid, zombie!);
    expectMarked(marker, [proc.pid, descendant!]);
  });

  // Its /proc/PID/environ fails (ESRCH, its main thread's memory gone): its other threads still have it.
  it('finds a marked process whose main thread exited while another runs on', async () => {
    const marker = { session: s1, child: 'lone', run: 1 };
    const proc = await loneThread({ env: markerEnv(marker) });
    seen.add(proc.pid);
    expectMarked(marker, [proc.pid]);
  });
});
