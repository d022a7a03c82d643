// Without cgroups (as `sessiond --cgroups off`, or a host that has none): memory is watched by
// the daemon, cpuMax and maxProcesses are refused, pause is SIGSTOP / SIGCONT.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { expectAllGone, waitFor } from '../helpers/proc.js';
import { limitsFixture, logLines, MiB, procState } from './bounds-harness.js';
import { fixture, Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('limits without cgroups', { timeout: 30_000 }, () => {
  it('memoryMax: the watchdog SIGKILLs the largest process (never the supervisor), reported as memory; a bystander is untouched', async () => {
    // Heartbeats of 1 s: a child busy allocating on a loaded machine must not be taken for hung first.
    h = new Harness({ heartbeatMs: 1000 });
    const bystander = await h.create({ id: 'bystander' });
    const before = await h.manager.getSessionInfo(bystander);
    const id = await h.create({ id: 'greedy', memoryMax: 200 * MiB, maxRestarts: 100, children: [{ name: 'alloc', file: limitsFixture('alloc.mjs') }] });
    const info = await h.manager.getSessionInfo(id);
    expect(info.limits.enforcement).toBe('watchdog');
    const exited = await h.waitEvent((e) => e.session === id && e.type === 'child.exited', 'the watchdog kill');
    expect(exited).toMatchObject({ child: 'alloc', signal: 'SIGKILL', reason: 'memory' });
    await h.waitEvent((e) => e.session === id && e.type === 'child.restarted', 'the restart');
    expect((await h.manager.getSessionInfo(id)).supervisorPid).toBe(info.supervisorPid);
    const after = await h.manager.getSessionInfo(bystander);
    expect(after.children[0]!.pid).toBe(before.children[0]!.pid);
    expect(after.restarts).toBe(0);
  });

  it.each([
    [{ cpuMax: 50 }, /cpuMax needs the cpu controller/],
    [{ maxProcesses: 10 }, /maxProcesses needs the pids controller/],
  ])('%o is refused (not_supported), naming what is missing; nothing is created', async (limits, message) => {
    h = new Harness();
    await expect(h.manager.createSession({ id: 'refused', ...limits })).rejects.toMatchObject({ code: 'not_supported', message: expect.stringMatching(message) });
    expect(h.events).toEqual([]);
    expect(await h.manager.listSessions({ all: true })).toEqual([]);
    expect(h.manager.has('refused')).toBe(false);
  });

  it('pause stops every process with SIGSTOP (state T), misses no heartbeat; resume continues them', async () => {
    h = new Harness({ heartbeatMs: 100 });
    const id = await h.create({ id: 'stopped', children: [{ name: 'beats', file: limitsFixture('beats.mjs'), restart: 'temporary' }] });
    await waitFor(() => logLines(h, id, 'beats').length > 3, 'beats');
    const { supervisorPid, children } = await h.manager.getSessionInfo(id);
    const pids = [supervisorPid!, children[0]!.pid!];
    await h.manager.pauseSession(id);
    expect(pids.map(procState)).toEqual(['T', 'T']);
    const paused = await h.manager.getSessionInfo(id);
    expect(paused).toMatchObject({ status: 'paused', supervisorPid });
    expect(paused.children[0]!.pid).toBe(pids[1]);
    const still = logLines(h, id, 'beats').length;
    // The one fixed wait: six heartbeats pass, and nothing beats, hangs or ends.
    await sleep(600);
    expect(logLines(h, id, 'beats').length).toBe(still);
    expect(h.events.map((e) => e.type).filter((t) => t !== 'session.created' && t !== 'child.started' && t !== 'session.active')).toEqual(['session.paused']);
    await h.manager.resumeSession(id);
    expect(pids.map(procState)).not.toContain('T');
    await waitFor(() => logLines(h, id, 'beats').length > still + 3, 'beats after the resume');
    expect(h.events.at(-1)).toMatchObject({ type: 'session.resumed' });
    expect((await h.manager.getSessionInfo(id)).status).toBe('active');
  });

  it('terminate of a paused session works as for any other: each child runs its stop handler', async () => {
    h = new Harness({ heartbeatMs: 100 });
    const stopLog = join(h.home.dir, 'stops.log');
    const id = await h.create({ id: 'resting', children: [{ name: 'recorder', file: fixture('record-stop.mjs'), env: { STOP_LOG: stopLog } }] });
    await h.manager.pauseSession(id);
    const pids = await h.snapshot(id);
    await h.manager.terminateSession(id);
    expect(readFileSync(stopLog, 'utf8')).toBe('recorder\n');
    expect(await h.manager.getSessionInfo(id)).toMatchObject({ status: 'terminated', error: null });
    await expectAllGone(pids);
  });

  it('pause or resume of a terminated session is refused; pausing twice or resuming a running one is fine', async () => {
    h = new Harness();
    const id = await h.create({ id: 'twice' });
    await h.manager.resumeSession(id);
    await h.manager.pauseSession(id);
    await h.manager.pauseSession(id);
    expect(h.events.filter((e) => e.type === 'session.paused')).toHaveLength(1);
    await h.manager.terminateSession(id);
    await expect(h.manager.pauseSession(id)).rejects.toMatchObject({ code: 'not_supported', message: expect.stringContaining('terminated') });
    await expect(h.manager.resumeSession(id)).rejects.toMatchObject({ code: 'not_supported', message: expect.stringContaining('nothing to resume') });
  });
});
