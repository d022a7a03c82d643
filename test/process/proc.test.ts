import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allStats, isRunning, readStat, runningDescendants, runningInGroup } from '../../src/process/proc.js';
import { spawnProcess, type Spawned } from '../../src/process/spawn.js';
import { expectAllGone, killAll, tempHome, waitFor } from '../helpers/proc.js';
import { comm, impossiblePid, loneThread, makeZombie, readPids, shell } from './shell.js';

let home: ReturnType<typeof tempHome>;
const seen = new Set<number>();
const spawn = (proc: Spawned) => (seen.add(proc.pid), proc);
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

const sorted = (pids: number[]) => [...pids].sort((a, b) => a - b);

describe('readStat', () => {
  // The kernel names a process after the file it executed (15 bytes at most): a symlink names it.
  // "x) Z 1 1 (y" reads as a zombie child of init to a parser that stops at the first ')'.
  it.each(['a (b) c', 'x) Z 1 1 (y', 'sleep)'])('reads the fields of a process named %j', async (name) => {
    home = tempHome();
    const link = join(home.dir, name);
    symlinkSync('/usr/bin/sleep', link);
    const proc = spawn(spawnProcess({ command: link }, { args: ['1000'], stdout: 'ignore', stderr: 'ignore' }));
    await waitFor(() => comm(proc.pid) === name, `pid ${proc.pid} to be named ${name}`);
    const stat = readStat(proc.pid)!;
    expect(stat).toMatchObject({ pid: proc.pid, ppid: process.pid, pgrp: proc.pid });
    expect(['R', 'S']).toContain(stat.state);
    expect(Number.isInteger(stat.startTime)).toBe(true);
    expect(stat.startTime).toBeGreaterThanOrEqual(readStat(process.pid)!.startTime);
    // The start time names the process for good: it does not change while it lives.
    expect(readStat(proc.pid)!.startTime).toBe(stat.startTime);
  });

  it('of no process is null', () => {
    expect(readStat(impossiblePid())).toBeNull();
  });
});

describe('isRunning', () => {
  it('a live process runs; a zombie and a missing pid do not', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const proc = spawn(shell(`sleep 1000 & echo $! >> ${file}; exec sleep 1001`));
    const [zombie] = note(await readPids(file, 1));
    await makeZombie(proc.pid, zombie!);
    expect(isRunning(proc.pid)).toBe(true);
    expect(isRunning(zombie!)).toBe(false);
    expect(isRunning(impossiblePid())).toBe(false);
    expect(allStats().some((s) => s.pid === zombie)).toBe(true);
  });

  // /proc's state is the main thread's: a SIGKILLed Node shows Z while its thread pool still exits
  // holding its sockets, and a process whose main thread exited alone runs on for good.
  it('a zombie whose other threads still run runs; once they have exited, it does not', async () => {
    const proc = spawn(await loneThread());
    expect(readStat(proc.pid)?.state).toBe('Z');
    expect(isRunning(proc.pid)).toBe(true);
    expect(runningInGroup(proc.pid)).toEqual([proc.pid]);
    process.kill(proc.pid, 'SIGKILL');
    await waitFor(() => !isRunning(proc.pid), `pid ${proc.pid} to be gone`);
  });
});

describe('runningInGroup', () => {
  it('lists the running members of a group, leader included, zombies left out', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const proc = spawn(shell(`sleep 1000 & echo $! >> ${file}; sleep 1001 & echo $! >> ${file}; sleep 1003 & echo $! >> ${file}; exec sleep 1002`));
    const [one, two, zombie] = note(await readPids(file, 3));
    await makeZombie(proc.pid, zombie!);
    expect(sorted(runningInGroup(proc.pid))).toEqual(sorted([proc.pid, one!, two!]));
  });

  it('of a group whose members are all zombies or gone is empty', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const proc = spawn(shell(`sleep 1000 & echo $! >> ${file}; exec sleep 1001`));
    const [member] = note(await readPids(file, 1));
    process.kill(-proc.pid, 'SIGKILL');
    await proc.exited;
    // The orphaned member may stay a zombie (if init does not reap it): it still counts as gone.
    await waitFor(() => !isRunning(member!), 'the member to be gone');
    expect(runningInGroup(proc.pid)).toEqual([]);
    expect(runningInGroup(impossiblePid())).toEqual([]);
  });
});

describe('runningDescendants', () => {
  it('follows parent links down the tree, out of the group too, leaving out the pid itself and zombies', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const inner = `sleep 1000 & echo \\$! >> ${file}; setsid sleep 1001 & echo \\$! >> ${file}; sleep 1003 & echo \\$! >> ${file}; exec sleep 1002`;
    const proc = spawn(shell(`sh -c "${inner}" & echo $! >> ${file}.middle; wait`));
    const [middle] = note(await readPids(`${file}.middle`, 1));
    const [sleeper, escaped, zombie] = note(await readPids(file, 3));
    await makeZombie(middle!, zombie!);
    await waitFor(() => readStat(escaped!)?.pgrp === escaped, 'the escaped process to lead its own group');
    expect(readStat(middle!)?.ppid).toBe(proc.pid);
    expect(sorted(runningDescendants(proc.pid))).toEqual(sorted([middle!, sleeper!, escaped!]));
    expect(sorted(runningDescendants(middle!))).toEqual(sorted([sleeper!, escaped!]));
    expect(runningDescendants(sleeper!)).toEqual([]);
  });
});
