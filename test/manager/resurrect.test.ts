import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { stopLeftovers } from '../../src/process/leftovers.js';
import { readStat } from '../../src/process/proc.js';
import { expectAllGone, isRunning, killAll, waitFor } from '../helpers/proc.js';
import { Harness } from './harness.js';

let h: Harness;
const strays: number[] = [];
afterEach(async () => {
  killAll(strays);
  await h?.close();
});

function detachedSleep(): number {
  const child = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
  child.unref();
  strays.push(child.pid!);
  return child.pid!;
}

describe('resurrection', () => {
  it('brings a session back with the same id, spec and creation time, in new processes', async () => {
    h = new Harness();
    const id = await h.create({ metadata: { task: 't1' }, llmConfig: { model: 'm', api_key: 'k' } });
    const before = h.manager.record(id);
    const oldPids = await h.snapshot(id);
    expect(before).toMatchObject({ status: 'active', supervisorPid: oldPids[0] });
    expect(before.supervisorStartTime).toBe(readStat(oldPids[0]!)!.startTime);
    expect(before.children[0]!.startTime).toBe(readStat(before.children[0]!.pid!)!.startTime);

    // The old processes are still alive, as after a daemon's SIGKILL before its supervisors noticed.
    const other = new Harness();
    try {
      expect(await stopLeftovers(before)).toEqual(expect.arrayContaining(oldPids.slice(0, 2)));
      await expectAllGone(oldPids, 2000);
      await other.manager.resurrectSession(before);
      await other.snapshot(id);
      const info = await other.manager.getSessionInfo(id);
      expect(info).toMatchObject({ id, status: 'active', metadata: { task: 't1' }, llmConfig: { model: 'm', api_key: '***' }, createdAt: before.createdAt });
      expect(info.supervisorPid).not.toBe(before.supervisorPid);
      expect(other.events.map((e) => e.type)).toEqual(expect.arrayContaining(['session.resurrected', 'session.active']));
      expect(other.events.some((e) => e.type === 'session.created')).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('stops a leftover only when its pid and start time both match', async () => {
    h = new Harness();
    const pid = detachedSleep();
    const startTime = await waitFor(() => readStat(pid)?.startTime, 'sleep to start');
    const child = { name: 'x', status: 'running' as const, restarts: 0, lastExit: null };
    expect(await stopLeftovers({ id: 'stray', supervisorPid: null, supervisorStartTime: null, children: [{ ...child, pid, startTime: startTime + 1 }] })).toEqual([]);
    expect(isRunning(pid)).toBe(true);
    expect(await stopLeftovers({ id: 'stray', supervisorPid: null, supervisorStartTime: null, children: [{ ...child, pid, startTime }] })).toEqual([pid]);
    expect(isRunning(pid)).toBe(false);
  });
});
