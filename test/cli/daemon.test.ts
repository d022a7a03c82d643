import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { expectAllGone, isRunning, runningDescendants } from '../helpers/proc.js';
import { daemonsOf, Harness } from './harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

describe('the daemon', { timeout: 60_000 }, () => {
  it('five concurrent daemon start leave exactly one daemon, and every caller reports it', async () => {
    const starts = await Promise.all(Array.from({ length: 5 }, () => h.cli(['daemon', 'start', '--json'])));
    expect(starts.map((s) => s.exitCode)).toEqual([0, 0, 0, 0, 0]);
    const pids = new Set(starts.map((s) => (JSON.parse(s.stdout) as { pid: number }).pid));
    expect(pids.size).toBe(1);
    const [pid] = pids;
    expect(daemonsOf(h.home)).toEqual([pid]);
    expect(h.daemonPid()).toBe(pid);
    const again = await h.cli(['daemon', 'start']);
    expect(again).toMatchObject({ exitCode: 0, stdout: String(pid) });
    expect(again.stderr).toMatch(/already running/);
  });

  it('creates its state dir 0700, its socket 0600, and logs to logs/sessiond.log', async () => {
    const home = join(h.home, 'nested', 'state');
    const result = await h.cli(['daemon', 'start'], { home });
    expect(result.exitCode).toBe(0);
    const pid = Number(result.stdout);
    h.seen.add(pid);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, 'sessiond.sock')).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'logs', 'sessiond.log')).size).toBeGreaterThan(0);
    expect((await h.cli(['daemon', 'stop'], { home })).exitCode).toBe(0);
    expect(isRunning(pid)).toBe(false);
  });

  it('refuses a state dir that others can write to, with a clear error', async () => {
    const open = join(h.home, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const result = await h.cli(['create'], { home: open });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/refusing state dir .*open: mode 777 lets others write to it/);
    expect(daemonsOf(open)).toEqual([]);
  });

  it('daemon SIGKILLed: no session process is left within 3 s, and the next command starts a new daemon', async () => {
    const sessions = await Promise.all([h.create(), h.create()]);
    const daemon = h.daemonPid()!;
    const pids = runningDescendants(daemon);
    expect(pids.length).toBeGreaterThanOrEqual(4);
    for (const s of sessions) expect(pids).toContain(s.supervisorPid);
    process.kill(daemon, 'SIGKILL');
    await expectAllGone([daemon, ...pids], 3000);

    const fresh = await h.create();
    expect(h.daemonPid()).not.toBe(daemon);
    expect(fresh.status).toBe('active');
  });

  it('daemon stop terminates every session and returns once every process is gone', async () => {
    const sessions: SessionInfo[] = await Promise.all([h.create(), h.create(), h.create()]);
    const daemon = h.daemonPid()!;
    const pids = [daemon, ...runningDescendants(daemon)];
    expect(pids.length).toBeGreaterThanOrEqual(1 + sessions.length * 2);
    expect((await h.cli(['daemon', 'stop'])).exitCode).toBe(0);
    expect(pids.filter(isRunning)).toEqual([]);
    expect((await h.cli(['daemon', 'status'])).exitCode).toBe(4);
  });

  it('SIGTERM to the daemon terminates every session, then it exits 0', async () => {
    await h.create();
    const daemon = h.daemonPid()!;
    const pids = [daemon, ...runningDescendants(daemon)];
    process.kill(daemon, 'SIGTERM');
    await expectAllGone(pids, 8000);
    expect((await h.cli(['daemon', 'status'])).exitCode).toBe(4);
  });
});
