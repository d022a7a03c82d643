import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killGroups, killTree, signalGroup, signalPid } from '../../src/process/kill.js';
import { markerEnv } from '../../src/process/marker.js';
import { isRunning, readStat, runningInGroup } from '../../src/process/proc.js';
import type { Spawned } from '../../src/process/spawn.js';
import { expectAllGone, killAll, tempHome, waitFor } from '../helpers/proc.js';
import { impossiblePid, readPids, shell } from './shell.js';

let home: ReturnType<typeof tempHome>;
const seen = new Set<number>();
const spawn = (proc: Spawned) => (seen.add(proc.pid), proc);
const note = (pids: number[]) => (pids.forEach((pid) => seen.add(pid)), pids);

afterEach(async () => {
  try {
    await expectAllGone([...seen]);
  } finally {
    killAll(seen);
    seen.clear();
    home?.cleanup();
  }
});

describe('signalGroup', () => {
  it('a group that is gone is no error', () => {
    expect(() => signalGroup(impossiblePid(), 'SIGTERM')).not.toThrow();
  });

  it('other failures are thrown', () => {
    expect(() => signalGroup(impossiblePid(), 'SIGNOTHING' as NodeJS.Signals)).toThrow();
  });

  // signalGroup(0, …) would be the caller's own process group, and signalGroup(-1, …) pid 1.
  it('refuses a pgid that is not a real group (≤ 1) instead of signalling its own group or init', async () => {
    for (const pgid of [0, -1, 1, 1.5]) expect(() => signalGroup(pgid, 'SIGKILL')).toThrow(RangeError);
    await expect(killGroups([0])).rejects.toThrow(RangeError);
  });

  it('reaches every member of the group', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const proc = spawn(shell(`sleep 1000 & echo $! >> ${file}; sleep 1001 & echo $! >> ${file}; exec sleep 1002`));
    const members = note(await readPids(file, 2));
    signalGroup(proc.pid, 'SIGKILL');
    expect(await proc.exited).toMatchObject({ signal: 'SIGKILL' });
    await expectAllGone(members);
  });
});

describe('signalPid', () => {
  it('says whether the signal was delivered', async () => {
    const proc = spawn(shell('exec sleep 1000'));
    expect(signalPid(proc.pid, 0)).toBe(true);
    expect(signalPid(impossiblePid(), 0)).toBe(false);
    expect(signalPid(proc.pid, 'SIGKILL')).toBe(true);
    await proc.exited;
  });
});

describe('killTree', () => {
  it('SIGKILLs a live parent and a descendant that left its group', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    // The shell execs a sleep of its own: had it waited for the escaped one, it could exit 0 once that
    // one was killed, before its own SIGKILL came.
    const proc = spawn(shell(`setsid sleep 4243 & echo $! >> ${file}; exec sleep 4244`));
    const [escaped] = note(await readPids(file, 1));
    await waitFor(() => readStat(escaped!)?.pgrp === escaped, 'the escaped process to lead its own group');
    expect(readStat(escaped!)?.ppid).toBe(proc.pid);
    killTree(proc.pid);
    expect(await proc.exited).toMatchObject({ signal: 'SIGKILL' });
    await expectAllGone([escaped!]);
  });

  it('SIGKILLs every level of the tree, though each level left the group above it', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    // A session leader of its own whose child leads another: only parent links lead to the grandchild.
    const inner = `setsid sleep 4246 & echo $! >> ${file}; exec sleep 4245`;
    const proc = spawn(shell(`setsid sh -c '${inner}' & echo $! >> ${file}; exec sleep 4244`));
    const pids = note(await readPids(file, 2));
    await waitFor(() => pids.every((pid) => readStat(pid)?.pgrp === pid), 'both escaped processes to lead their own groups');
    killTree(proc.pid);
    expect(await proc.exited).toMatchObject({ signal: 'SIGKILL' });
    await expectAllGone(pids);
  });

  it('of a pid that is gone returns', () => {
    expect(() => killTree(impossiblePid())).not.toThrow();
  });
});

describe('killGroups', () => {
  it('returns true once every member of every group is gone', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const one = spawn(shell(`sh -c 'trap "" TERM; echo $$ >> ${file}; exec sleep 1000' & exec sleep 1001`));
    const two = spawn(shell(`sleep 1000 & echo $! >> ${file}; exec sleep 1001`));
    const members = note(await readPids(file, 2));
    expect(await killGroups([one.pid, two.pid])).toBe(true);
    // No signal needs to be in flight any more: nothing of the groups runs when it resolves.
    expect([one.pid, two.pid, ...members].filter(isRunning)).toEqual([]);
    expect([...runningInGroup(one.pid), ...runningInGroup(two.pid)]).toEqual([]);
  });

  it('with a marker, also SIGKILLs the marked processes outside the groups', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const marker = { session: `kill-${process.pid}`, child: 'a', run: 1 };
    const proc = spawn(shell(`setsid sleep 4244 & echo $! >> ${file}; exec sleep 1000`, markerEnv(marker)));
    const [escaped] = note(await readPids(file, 1));
    await waitFor(() => readStat(escaped!)?.pgrp === escaped, 'the escaped process to lead its own group');
    expect(await killGroups([proc.pid], marker)).toBe(true);
    expect([proc.pid, escaped!].filter(isRunning)).toEqual([]);
  });

  it('of no group and no marker is true at once', async () => {
    expect(await killGroups([])).toBe(true);
    expect(await killGroups([impossiblePid()])).toBe(true);
  });
});
