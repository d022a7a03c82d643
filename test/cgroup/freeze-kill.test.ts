import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { leafFrozen, thawForKill } from '../../src/cgroup/children-leaf.js';
import { killGroup } from '../../src/cgroup/kill-all.js';
import { SessionCgroup } from '../../src/cgroup/session-cgroup.js';
import type { DetectOptions } from '../../src/cgroup/detect.js';
import { readStat } from '../../src/process/proc.js';
import { expectAllGone, isRunning, killAll, tempHome, waitFor } from '../helpers/proc.js';
import { CgroupFixture, cannotRun } from './harness.js';

// Each path this host offers: the default choice (v2 freezer and cgroup.kill on a hybrid host) and v1 alone.
const variants: [string, Omit<DetectOptions, 'stateDir'>][] = [
  ['as detected', {}],
  ['with v1 alone', { versions: ['v1'] }],
];

describe.skipIf(cannotRun)(`freeze, thaw and kill${cannotRun ? ` (skipped: ${cannotRun})` : ''}`, () => {
  let cgroups: CgroupFixture;
  afterEach(async () => expect(await cgroups.cleanup()).toEqual([]));

  it.each(variants)('%s: a frozen process stops beating until thawed', async (_, options) => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect(options);
    if (!support.freeze) return expect.fail('no freezer here');
    const group = SessionCgroup.create(support, 'beats');
    const { lines } = await cgroups.startIn(group, 'heartbeat.mjs');
    await waitFor(() => lines.length >= 3, 'heartbeats');
    await group.freeze();
    expect(group.isFrozen()).toBe(true);
    // A beat written just before the freeze may still be in the pipe: counted once the pipe is quiet.
    const beatsWhenFrozen = await settled(() => lines.length);
    // The one fixed wait: proving the frozen process does not beat (a beat is due every 10 ms).
    await sleep(300);
    expect(lines.length).toBe(beatsWhenFrozen);
    await group.thaw();
    expect(group.isFrozen()).toBe(false);
    await waitFor(() => lines.length > beatsWhenFrozen + 3, 'heartbeats after the thaw');
  });

  it.each(variants)('%s: killAll reaches a process that left its session and scrubbed its environment', async (_, options) => {
    cgroups = new CgroupFixture();
    const group = SessionCgroup.create(cgroups.detect(options), 'escape');
    const { child, lines } = await cgroups.startIn(group, 'escape.mjs');
    const escaped = Number(await waitFor(() => lines[0], 'the escaped pid'));
    cgroups.track(escaped);
    await waitFor(() => group.pids().includes(escaped), 'the escaped process to be listed in the group');
    expect(readEnviron(escaped)).toBe('');
    expect(readStat(escaped)?.pgrp).toBe(escaped);
    expect(group.pids()).toEqual([child.pid!, escaped].sort((a, b) => a - b));
    expect(await group.killAll()).toBe(true);
    await expectAllGone([child.pid!, escaped]);
    expect(group.pids()).toEqual([]);
    expect(await group.remove()).toBe(true);
  });

  it.each(variants)('%s: killAll empties a frozen group', async (_, options) => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect(options);
    const group = SessionCgroup.create(support, 'frozen');
    const { child, lines } = await cgroups.startIn(group, 'heartbeat.mjs');
    await waitFor(() => lines.length > 0, 'a heartbeat');
    await group.freeze();
    expect(await group.killAll()).toBe(true);
    await expectAllGone([child.pid!]);
    expect(await group.remove()).toBe(true);
  });

  it.each(variants)('%s: a pause freezes the children leaf, never the supervisor leaf', async (_, options) => {
    cgroups = new CgroupFixture();
    const group = SessionCgroup.create(cgroups.detect(options), 'leaves');
    const supervisor = await cgroups.startIn(group, 'heartbeat.mjs', [], 'supervisor');
    const child = await cgroups.startIn(group, 'heartbeat.mjs');
    await waitFor(() => supervisor.lines.length > 0 && child.lines.length > 0, 'heartbeats of both');
    await group.freeze();
    const leaf = group.childrenLeaf();
    expect(leafFrozen(leaf)).toBe(true);
    // A beat written just before the freeze may still be in the pipe: counted once the pipe is quiet.
    const frozenAt = await settled(() => child.lines.length);
    const runningAt = supervisor.lines.length;
    await waitFor(() => supervisor.lines.length > runningAt + 10, 'the supervisor leaf beating on');
    expect(child.lines.length).toBe(frozenAt);
    await group.thaw();
    expect(leafFrozen(leaf)).toBe(false);
    expect(await group.killAll()).toBe(true);
  });

  it.each(variants)('%s: an orphaned supervisor SIGKILLs its frozen children, then thawForKill lets them die', async (_, options) => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect(options);
    const group = SessionCgroup.create(support, 'orphans');
    const { child, lines } = await cgroups.startIn(group, 'heartbeat.mjs');
    await waitFor(() => lines.length > 0, 'a heartbeat');
    await group.freeze();
    child.kill('SIGKILL');
    // v2: a fatal signal reaches a frozen task; v1: it waits for the thaw.
    if (support.freeze === 'v1') {
      // The one fixed wait: proving a v1 frozen task outlives its SIGKILL until thawed.
      await sleep(200);
      expect(isRunning(child.pid!)).toBe(true);
    }
    expect(thawForKill(group.childrenLeaf())).toBe(true);
    await expectAllGone([child.pid!]);
  });

  it('freeze where the host has no freezer says what to do instead', async () => {
    cgroups = new CgroupFixture();
    const support = { ...cgroups.detect(), freeze: null };
    const group = SessionCgroup.create(support, 'nofreezer');
    await expect(group.freeze()).rejects.toMatchObject({ code: 'not_supported', message: expect.stringContaining('SIGSTOP') });
    expect(group.isFrozen()).toBe(false);
  });
});

describe('killGroup never throws into a stop', () => {
  it('cgroup.kill refused (EISDIR here): it says so and SIGKILLs each process instead', async () => {
    const home = tempHome('sessiond-killgroup-');
    const sleeper = spawn('/bin/sleep', ['1000'], { stdio: 'ignore' });
    try {
      mkdirSync(join(home.dir, 'cgroup.kill'));
      const warnings: string[] = [];
      const pids = () => (isRunning(sleeper.pid!) ? [sleeper.pid!] : []);
      await expect(killGroup({ killDir: home.dir, v1FreezerDir: null, pids, warn: (m) => warnings.push(m) })).resolves.toBe(true);
      await expectAllGone([sleeper.pid!]);
      expect(warnings).toEqual([expect.stringMatching(/cannot write .*cgroup\.kill \(EISDIR\): SIGKILLing each of its processes instead/)]);
    } finally {
      killAll([sleeper.pid!]);
      home.cleanup();
    }
  });
});

function readEnviron(pid: number): string {
  return readFileSync(`/proc/${pid}/environ`, 'utf8');
}

/** The value once it has not changed for 50 ms (2 s at most). */
async function settled(read: () => number): Promise<number> {
  let last = read();
  for (const deadline = Date.now() + 2000; Date.now() < deadline; ) {
    await sleep(50);
    const now = read();
    if (now === last) return now;
    last = now;
  }
  return last;
}
