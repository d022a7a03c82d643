import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessiondError, type ErrorCode } from '../../src/contract/errors.js';
import { statePaths } from '../../src/contract/paths.js';
import { ensureDaemon } from '../../src/control/autostart.js';
import { SessionClient } from '../../src/control/client.js';
import { runningMarked } from '../../src/process/marker.js';
import { Harness } from '../cli/harness.js';
import { expectAllGone, isRunning, runningDescendants, waitFor } from '../helpers/proc.js';
import { fixture } from '../process/shell.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// What a request may meet in a race: never an internal error, never a lost reply (a kill of a session just terminated: not_running).
const EXPECTED: readonly ErrorCode[] = ['not_found', 'not_running', 'already_exists', 'start_failed'];
const SEED = Number(process.env.SESSIOND_RACE_SEED ?? 20261201);

describe('requests that race', { timeout: 90_000 }, () => {
  it(`create / terminate / kill at swept offsets, then daemon stop mid-flight (seed ${SEED})`, async () => {
    const next = random(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    await ensureDaemon(statePaths(h.home));
    h.noteDaemon();
    const daemon = h.daemonPid()!;
    const clients = Array.from({ length: 3 }, () => new SessionClient({ home: h.home }));
    const ids = Array.from({ length: 6 }, (_, i) => `race-${i}`);
    const children = [[], [{ name: 'cmd', command: 'sleep', args: ['1000'] }], [{ name: 'a' }, { name: 'b' }].map((c) => ({ ...c, command: 'sleep', args: ['1000'] }))];
    const answered: string[] = [];
    const op = async (): Promise<void> => {
      const client = pick(clients);
      const id = pick(ids);
      await after(Math.floor(next() * 300));
      const kind = pick(['create', 'create', 'terminate', 'kill', 'kill-child'] as const);
      try {
        if (kind === 'create') await client.create({ id, children: pick(children), strategy: pick(['one_for_one', 'one_for_all'] as const) });
        else if (kind === 'terminate') await client.terminateSession(id);
        else if (kind === 'kill') await client.kill(id, {}, pick(['SIGKILL', 'SIGTERM'] as const));
        else await client.kill(id, { child: pick(['placeholder', 'cmd', 'a', 'b']) });
        answered.push(`${kind} ${id}: ok`);
      } catch (error) {
        if (!(error instanceof SessiondError) || !EXPECTED.includes(error.code)) throw error;
        answered.push(`${kind} ${id}: ${error.code}`);
      }
      h.noteDaemon();
    };

    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 12 }, op));
      expect(isRunning(daemon)).toBe(true);
    }
    expect(answered).toHaveLength(60);

    // The last round meets a daemon stop: each request is answered or told the daemon went away.
    const pids = [daemon, ...runningDescendants(daemon)];
    const last = Array.from({ length: 12 }, () =>
      op().catch((error: unknown) => {
        if (!(error instanceof SessiondError) || error.code !== 'daemon_unavailable') throw error;
      }),
    );
    await after(Math.floor(next() * 200));
    expect((await h.cli(['daemon', 'stop'])).exitCode).toBe(0);
    await Promise.all(last);
    for (const client of clients) client.close();
    await expectAllGone(pids, 3000);
    for (const id of ids) expect(runningMarked({ session: id })).toEqual([]);
  });
});

describe('a start that races a daemon on its way out', { timeout: 30_000 }, () => {
  // A killed daemon's last threads hold its instance lock a few ms after /proc shows it a zombie: a
  // start then loses the lock to a daemon that is going, and nothing would answer.
  it('started while a daemon on its way out holds the lock, it starts one again once that daemon is gone', async () => {
    const holder = execa(process.execPath, [fixture('hold-lock.mjs'), h.home, '1000'], { stdin: 'ignore', stdout: 'ignore' });
    await waitFor(() => h.daemonPid() === holder.pid, 'the stand-in to hold the lock');
    const { status, started } = await ensureDaemon(statePaths(h.home), 5000);
    await holder;
    await expectAllGone([holder.pid!]);
    expect(started).toBe(true);
    expect(status.pid).toBe(h.daemonPid());
    expect(status.pid).not.toBe(holder.pid);
    h.noteDaemon();
  });
});
