import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStat } from '../../src/process/proc.js';
import { expectAllGone, isRunning, waitFor } from '../helpers/proc.js';
import { fixture, Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('stopping: SIGTERM, then SIGKILL after 5 s', () => {
  it('terminates cooperative children at once, and reports terminated only when every pid is gone', async () => {
    h = new Harness();
    const id = await h.create();
    const pids = await h.snapshot(id);
    const start = Date.now();
    await h.manager.terminateSession(id);
    expect(Date.now() - start).toBeLessThan(2000);
    expect(pids.filter(isRunning)).toEqual([]);
    const info = await h.manager.getSessionInfo(id);
    expect(info).toMatchObject({ status: 'terminated', error: null, supervisorPid: null });
    expect(h.events.map((e) => e.type)).toEqual(expect.arrayContaining(['session.terminating', 'session.terminated']));
  });

  it('SIGKILLs a child that ignores SIGTERM after 5 s: not before 4.5 s, not after 5.5 s', async () => {
    h = new Harness();
    const id = await h.create({ children: [{ name: 'stubborn', file: fixture('ignore-sigterm.mjs') }] });
    const pids = await h.snapshot(id);
    const start = Date.now();
    await h.manager.terminateSession(id);
    const elapsed = Date.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(4500);
    expect(elapsed).toBeLessThanOrEqual(5500);
    expect(pids.filter(isRunning)).toEqual([]);
  });

  it("honours a child's shutdownMs", async () => {
    h = new Harness();
    const id = await h.create({ children: [{ name: 'stubborn', file: fixture('ignore-sigterm.mjs'), shutdownMs: 300 }] });
    const pids = await h.snapshot(id);
    const start = Date.now();
    await h.manager.terminateSession(id);
    expect(Date.now() - start).toBeLessThan(2000);
    expect(pids.filter(isRunning)).toEqual([]);
  });

  it("leaves none of a child's grandchildren after terminate", async () => {
    h = new Harness();
    const pidsFile = join(h.home.dir, 'grandchildren.json');
    const id = await h.create({ children: [{ name: 'parent', file: fixture('spawn-grandchildren.mjs'), env: { PIDS_FILE: pidsFile } }] });
    const grandchildren = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[];
    for (const pid of grandchildren) h.seen.add(pid);
    expect(grandchildren.every(isRunning)).toBe(true);
    await h.manager.terminateSession(id);
    expect(grandchildren.filter(isRunning)).toEqual([]);
  });

  it("SIGKILLs a crashed child's grandchildren before restarting it", async () => {
    h = new Harness();
    const pidsFile = join(h.home.dir, 'grandchildren.json');
    const id = await h.create({ children: [{ name: 'parent', file: fixture('spawn-grandchildren.mjs'), env: { PIDS_FILE: pidsFile } }] });
    const grandchildren = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[];
    for (const pid of grandchildren) h.seen.add(pid);
    h.manager.kill(id, { child: 'parent' });
    await h.waitEvent((e) => e.type === 'child.restarted', 'child.restarted');
    await expectAllGone(grandchildren, 500);
    await h.snapshot(id);
    for (const pid of JSON.parse(readFileSync(pidsFile, 'utf8')) as number[]) h.seen.add(pid);
  });

  it('stops children in reverse start order', async () => {
    h = new Harness();
    const id = await h.create({ children: ['a', 'b', 'c'].map((name) => ({ name, file: fixture('exit-on-signal.mjs') })) });
    await h.manager.terminateSession(id);
    const order = h.events.filter((e) => e.type === 'child.exited').map((e) => e.child);
    expect(order).toEqual(['c', 'b', 'a']);
  });

  it('shutdown() terminates every session in parallel', async () => {
    h = new Harness();
    const ids = await Promise.all([1, 2, 3].map(() => h.create({ children: [{ name: 'stubborn', file: fixture('ignore-sigterm.mjs'), shutdownMs: 1000 }] })));
    const start = Date.now();
    await h.manager.shutdown();
    expect(Date.now() - start).toBeLessThan(3000);
    for (const id of ids) expect((await h.manager.getSessionInfo(id)).status).toBe('terminated');
  });

  it('leaves no grandchild that left its process group (setsid), after a crash or a terminate', async () => {
    h = new Harness();
    const pidFile = join(h.home.dir, 'escaped.pid');
    const script = `setsid sleep 4242 & echo $! > ${pidFile}; exec sleep 1000`;
    const id = await h.create({ children: [{ name: 'escaper', command: 'sh', args: ['-c', script] }] });
    const readPid = () => {
      try {
        return Number(readFileSync(pidFile, 'utf8')) || null;
      } catch {
        return null;
      }
    };
    const escaped = await waitFor(readPid, 'the escaped pid');
    h.seen.add(escaped);
    await waitFor(() => readStat(escaped)?.pgrp === escaped, 'the escaped process to lead its own group (setsid runs after the fork)');
    h.manager.kill(id, { child: 'escaper' });
    await h.waitEvent((e) => e.type === 'child.restarted', 'child.restarted');
    await expectAllGone([escaped], 1000);

    const again = await waitFor(() => {
      const pid = readPid();
      return pid !== null && pid !== escaped && isRunning(pid) ? pid : null;
    }, 'the second escaped pid');
    h.seen.add(again);
    await h.manager.terminateSession(id);
    expect(isRunning(again)).toBe(false);
  });
});
