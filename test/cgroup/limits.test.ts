import { afterEach, describe, expect, it } from 'vitest';
import { SessionCgroup } from '../../src/cgroup/session-cgroup.js';
import { NO_LIMITS } from '../../src/limits/limits.js';
import { expectAllGone, waitFor } from '../helpers/proc.js';
import { CgroupFixture, cannotRun } from './harness.js';

const MiB = 1024 ** 2;

describe.skipIf(cannotRun)(`limits enforced by the kernel${cannotRun ? ` (skipped: ${cannotRun})` : ''}`, () => {
  let cgroups: CgroupFixture;
  afterEach(async () => expect(await cgroups.cleanup()).toEqual([]));

  it('memoryMax: a process allocating 20 MiB every 100 ms under 100 MiB is OOM-killed, never holding more', async () => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect();
    if (!support.memory) return expect.fail(`no memory controller here: ${support.notes.join('; ')}`);
    const group = SessionCgroup.create(support, 'alloc', { ...NO_LIMITS, memoryMax: 100 * MiB });
    const { exited, lines } = await cgroups.startIn(group, 'alloc.mjs');
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(group.oomKills()).toBe(1);
    const stats = group.stats();
    expect(stats.memoryPeakBytes).toBeGreaterThan(60 * MiB);
    expect(stats.memoryPeakBytes).toBeLessThanOrEqual(100 * MiB);
    expect(Number(lines.at(-1))).toBeLessThan(100);
    expect(await group.remove()).toBe(true);
  });

  it('maxProcesses: forks past pids.max are refused (EAGAIN), and the group never holds more', async () => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect();
    if (!support.pids) return expect.fail('no pids controller here');
    // pids.max counts tasks: a Node process is about 7 threads, so 12 leaves room for a few sleeps.
    const group = SessionCgroup.create(support, 'forks', { ...NO_LIMITS, maxProcesses: 12 });
    const { lines } = await cgroups.startIn(group, 'forks.mjs', ['10']);
    const report = await waitFor(() => lines[0], 'the fork report');
    const { started, refused } = JSON.parse(report) as { started: number[]; refused: string[] };
    started.forEach((pid) => cgroups.track(pid));
    expect(started.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(new Set(['EAGAIN']));
    expect(group.pids()).toEqual(expect.arrayContaining(started));
    expect(await group.killAll()).toBe(true);
    await expectAllGone(started);
  });

  it('cpuMax: a spinning process is throttled (cpu.stat nr_throttled grows) and its CPU time is counted', async () => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect();
    if (!support.cpu) return expect.fail('no cpu controller here');
    const group = SessionCgroup.create(support, 'spin', { ...NO_LIMITS, cpuMax: 10 });
    const { lines } = await cgroups.startIn(group, 'spin.mjs');
    await waitFor(() => lines.includes('spinning'), 'the spinner to start');
    await waitFor(() => (group.stats().cpuThrottled ?? 0) > 2, 'the spinner to be throttled');
    expect(group.stats().cpuUsageUs).toBeGreaterThan(0);
    expect(await group.killAll()).toBe(true);
  });

  it('without limits: a plain group, no limit written, stats still read', async () => {
    cgroups = new CgroupFixture();
    const group = SessionCgroup.create(cgroups.detect(), 'plain');
    const { lines } = await cgroups.startIn(group, 'heartbeat.mjs');
    await waitFor(() => lines.length > 3, 'a few heartbeats');
    const stats = group.stats();
    expect(stats.oomKills).toBe(0);
    expect(stats.cpuUsageUs).toBeGreaterThan(0);
    expect(await group.killAll()).toBe(true);
  });
});
