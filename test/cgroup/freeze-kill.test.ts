import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionCgroup } from '../../src/cgroup/session-cgroup.js';
import type { DetectOptions } from '../../src/cgroup/detect.js';
import { readStat } from '../../src/process/proc.js';
import { expectAllGone, waitFor } from '../helpers/proc.js';
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
    const beatsWhenFrozen = lines.length;
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

  it('freeze where the host has no freezer says what to do instead', async () => {
    cgroups = new CgroupFixture();
    const support = { ...cgroups.detect(), freeze: null };
    const group = SessionCgroup.create(support, 'nofreezer');
    await expect(group.freeze()).rejects.toMatchObject({ code: 'not_supported', message: expect.stringContaining('SIGSTOP') });
    expect(group.isFrozen()).toBe(false);
  });
});

function readEnviron(pid: number): string {
  return readFileSync(`/proc/${pid}/environ`, 'utf8');
}
