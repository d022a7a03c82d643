import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signalPid } from '../../src/process/kill.js';
import { markerEnv, runningMarked } from '../../src/process/marker.js';
import { isRunning, readStat, runningInGroup } from '../../src/process/proc.js';
import { spawnProcess, type Spawned } from '../../src/process/spawn.js';
import { killProcess, sleep, stopProcess } from '../../src/process/stop.js';
import { expectAllGone, killAll, tempHome, waitFor } from '../helpers/proc.js';
import { fixture, handshake, readPids, shell } from './shell.js';

// A grace no test waits out: a stop that is not forced must end long before it (the test's timeout).
const NEVER = 60_000;

let home: ReturnType<typeof tempHome>;
const seen = new Set<number>();
const spawn = (proc: Spawned) => (seen.add(proc.pid), proc);
const note = (pids: number[]) => (pids.forEach((pid) => seen.add(pid)), pids);

afterEach(async () => {
  try {
    await expectAllGone([...seen].filter((pid) => pid > 0));
  } finally {
    killAll(seen);
    seen.clear();
    home?.cleanup();
  }
});

describe('stopProcess', () => {
  it('a process that exits on SIGTERM is stopped without force', async () => {
    const proc = spawn(spawnProcess({ command: 'sleep' }, { args: ['1000'], stdout: 'ignore', stderr: 'ignore' }));
    const result = await stopProcess(proc, NEVER);
    expect(result).toEqual({ forced: false, gone: true });
    expect(await proc.exited).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(isRunning(proc.pid)).toBe(false);
  });

  it('a process that ignores SIGTERM is SIGKILLed once graceMs has passed, forced', async () => {
    const proc = spawn(spawnProcess({ file: fixture('ignore-sigterm.mjs') }, { stdout: 'ignore', stderr: 'ignore' }));
    await handshake(proc); // its SIGTERM handler is installed
    const start = Date.now();
    const result = await stopProcess(proc, 300);
    // Not before its grace: the SIGKILL waits the 300 ms out.
    expect(Date.now() - start).toBeGreaterThanOrEqual(295);
    expect(result).toEqual({ forced: true, gone: true });
    expect(await proc.exited).toMatchObject({ code: null, signal: 'SIGKILL' });
  });

  it('kills the members of its group, even one that survives SIGTERM after the leader exits', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    // The grandchild ignores SIGTERM, the leader does not: the leader's exit ends the grace period.
    const proc = spawn(shell(`sh -c 'trap "" TERM; echo $$ >> ${file}; exec sleep 1000' & sleep 1000 & echo $! >> ${file}; exec sleep 1001`));
    const grandchildren = note(await readPids(file, 2));
    for (const pid of grandchildren) expect(readStat(pid)?.pgrp).toBe(proc.pid);
    const result = await stopProcess(proc, NEVER);
    expect(result).toEqual({ forced: false, gone: true });
    expect(grandchildren.filter(isRunning)).toEqual([]);
    expect(runningInGroup(proc.pid)).toEqual([]);
  });

  it('kills a descendant that left the group (setsid) when it carries the marker', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const marker = { session: `stop-${process.pid}`, child: 'escaper', run: 1 };
    const proc = spawn(shell(`setsid sleep 4242 & echo $! >> ${file}; exec sleep 1000`, markerEnv(marker)));
    const [escaped] = note(await readPids(file, 1));
    await waitFor(() => readStat(escaped!)?.pgrp === escaped, 'the escaped process to lead its own group');
    await waitFor(() => runningMarked(marker).includes(escaped!), 'the escaped process to carry the marker');
    const result = await stopProcess(proc, NEVER, [], marker);
    expect(result).toEqual({ forced: false, gone: true });
    expect(isRunning(escaped!)).toBe(false);
  });

  it('without the marker, a descendant that left the group survives (what the sweep is for)', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const proc = spawn(shell(`setsid sleep 4242 & echo $! >> ${file}; exec sleep 1000`));
    const [escaped] = note(await readPids(file, 1));
    await waitFor(() => readStat(escaped!)?.pgrp === escaped, 'the escaped process to lead its own group');
    await stopProcess(proc, NEVER);
    expect(isRunning(escaped!)).toBe(true);
    signalPid(escaped!, 'SIGKILL');
  });

  it('sweeps extraGroups', async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const proc = spawn(spawnProcess({ command: 'sleep' }, { args: ['1000'], stdout: 'ignore', stderr: 'ignore' }));
    const other = spawn(shell(`sleep 1000 & echo $! >> ${file}; exec sleep 1001`));
    const members = note(await readPids(file, 1));
    const result = await stopProcess(proc, NEVER, [other.pid]);
    expect(result).toEqual({ forced: false, gone: true });
    expect([other.pid, ...members].filter(isRunning)).toEqual([]);
    expect(await other.exited).toMatchObject({ signal: 'SIGKILL' });
  });

  it('an already-exited process resolves at once', async () => {
    const proc = spawn(spawnProcess({ command: 'true' }, { stdout: 'ignore', stderr: 'ignore' }));
    await proc.exited;
    expect(proc.hasExited()).toBe(true);
    expect(await stopProcess(proc, NEVER)).toEqual({ forced: false, gone: true });
  });

  it('a process that exited before stop was called, its exit not yet seen, is not forced', async () => {
    const proc = spawn(spawnProcess({ command: 'true' }, { stdout: 'ignore', stderr: 'ignore' }));
    // Spin without yielding: the process is a zombie and Node has not reaped it nor seen its exit.
    const deadline = Date.now() + 5000;
    while (readStat(proc.pid)?.state !== 'Z' && Date.now() < deadline);
    expect(readStat(proc.pid)?.state).toBe('Z');
    expect(proc.hasExited()).toBe(false);
    expect(await stopProcess(proc, NEVER)).toEqual({ forced: false, gone: true });
    expect(await proc.exited).toMatchObject({ code: 0, signal: null });
  });

  it("sweeps the group of a leader that had already exited on its own (a crash's leftovers)", async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    const proc = spawn(shell(`sleep 1000 & echo $! >> ${file}; exit 3`));
    const left = note(await readPids(file, 1));
    expect(await proc.exited).toMatchObject({ code: 3 });
    expect(runningInGroup(proc.pid)).toEqual(left);
    expect(await stopProcess(proc, NEVER)).toEqual({ forced: false, gone: true });
    expect(left.filter(isRunning)).toEqual([]);
  });

  it('a process that could not be spawned resolves at once', async () => {
    const proc = spawnProcess({ command: '/nonexistent/sessiond-test' }, { stdout: 'ignore', stderr: 'ignore' });
    expect(proc.pid).toBe(-1);
    expect(await stopProcess(proc, NEVER)).toEqual({ forced: false, gone: true });
  });
});

describe('killProcess', () => {
  it('SIGKILLs at once, whatever the process does with SIGTERM', async () => {
    const proc = spawn(spawnProcess({ file: fixture('ignore-sigterm.mjs') }, { stdout: 'ignore', stderr: 'ignore' }));
    await handshake(proc);
    expect(await killProcess(proc)).toBe(true);
    expect(await proc.exited).toMatchObject({ code: null, signal: 'SIGKILL' });
  });
});

describe('sleep', () => {
  it('ends early when its signal aborts', async () => {
    const timer = new AbortController();
    const slept = sleep(NEVER, timer.signal);
    timer.abort();
    await slept;
  });
});
