import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning, readStat } from '../../src/process/proc.js';
import { environ, expectAllGone, killAll, tempHome, waitFor } from '../helpers/proc.js';
import { readPids } from '../process/shell.js';
import { fixture, PLACEHOLDER } from './harness.js';
import { SlotRun } from './slot-run.js';

let run: SlotRun | undefined;
let home: ReturnType<typeof tempHome> | undefined;

afterEach(async () => {
  try {
    await run?.slot.stop(1000);
    await expectAllGone([...(run?.seen ?? [])]);
  } finally {
    killAll(run?.seen ?? []);
    run = undefined;
    home?.cleanup();
    home = undefined;
  }
});

describe('ChildSlot.start', () => {
  it('resolves null once a Node child is ready; the run leads its group and carries its marker', async () => {
    run = new SlotRun({ name: 'p', file: PLACEHOLDER });
    expect(await run.slot.start()).toBeNull();
    const pid = run.slot.pid!;
    expect(run.seen).toEqual(new Set([pid]));
    expect(run.slot.state()).toEqual({ name: 'p', pid, status: 'running', restarts: 0, lastExit: null, nextRestartAt: null });
    expect(readStat(pid)?.pgrp).toBe(pid);
    expect(environ(pid)).toContain(`SUPERVISED_RUN=${run.session}/p/1`);
  });

  it('gives each run its own marker', async () => {
    run = new SlotRun({ name: 'p', file: PLACEHOLDER });
    await run.slot.start();
    await run.slot.stop();
    expect(await run.slot.start()).toBeNull();
    expect(environ(run.slot.pid!)).toContain(`SUPERVISED_RUN=${run.session}/p/2`);
  });

  it('resolves null for a command once it is spawned', async () => {
    run = new SlotRun({ name: 'cmd', command: 'sleep', args: ['1000'] });
    expect(await run.slot.start()).toBeNull();
    expect(run.slot.status).toBe('running');
    expect(isRunning(run.slot.pid!)).toBe(true);
  });

  it('returns the failure text for a command that does not exist, and reports its exit (127)', async () => {
    run = new SlotRun({ name: 'missing', command: '/nonexistent/sessiond-test' });
    expect(await run.slot.start()).toBe('could not spawn /nonexistent/sessiond-test');
    expect(await run.waitExit()).toMatchObject({ code: 127, signal: null });
    expect(run.slot.state()).toMatchObject({ pid: null, status: 'stopped', lastExit: { code: 127 } });
    expect(run.seen.size).toBe(0);
  });

  // Bug (src/supervisor/child-slot.ts, get pid): after a command could not be spawned, start()
  // has resolved with its failure but the spawn's 'error' event (hence hasExited()) comes a tick
  // later; until then pid and state().pid are -1, not null. A caller that signals it
  // (process.kill(-1, …)) signals every process it may; Supervisor.stopAll's `pid === null`
  // check lets it through. `pid` should be null unless the run has a real pid (> 0).
  it('a slot whose command could not be spawned has no pid, never -1', async () => {
    run = new SlotRun({ name: 'missing', command: '/nonexistent/sessiond-test' });
    const starting = run.slot.start();
    const pids = [run.slot.pid, run.slot.state().pid];
    await starting;
    pids.push(run.slot.pid, run.slot.state().pid);
    expect(pids).toEqual([null, null, null, null]);
  });

  it('says how a Node child that exits before it is ready exited, and keeps what it printed', async () => {
    run = new SlotRun({ name: 'b', file: fixture('exit-at-once.mjs') });
    expect(await run.slot.start()).toBe('exited (exit code 3) before it was ready');
    expect(await run.waitExit()).toMatchObject({ code: 3, signal: null });
    expect(run.slot.log.tail()).toEqual(['boom: no luck']);
  });

  it('a child not ready by the deadline: the failure names the start timeout, and the run is SIGKILLed', async () => {
    run = new SlotRun({ name: 'slow', file: fixture('never-ready.mjs') }, { startTimeoutMs: 300 });
    expect(await run.slot.start()).toBe(
      `was not ready within the start timeout (300 ms): a Node module child must call startChild() from 'sessiond/child', which says ready; a program that does not is run as a command: --command "NAME=node FILE"`,
    );
    expect(await run.waitExit()).toMatchObject({ code: null, signal: 'SIGKILL' });
  });
});

describe('ChildSlot.stop', () => {
  it('SIGTERMs the run and waits for its exit, which is no crash: onExit is not called', async () => {
    run = new SlotRun({ name: 'p', file: PLACEHOLDER });
    await run.slot.start();
    const pid = run.slot.pid!;
    await run.slot.stop();
    expect(isRunning(pid)).toBe(false);
    expect(run.slot.state()).toMatchObject({ pid: null, status: 'stopped', lastExit: { code: 0, signal: null } });
    expect(run.exits).toEqual([]);
  });

  it('SIGKILLs a run that ignores SIGTERM once graceMs has passed', async () => {
    run = new SlotRun({ name: 's', file: fixture('ignore-sigterm.mjs') });
    await run.slot.start();
    const start = Date.now();
    await run.slot.stop(300);
    expect(Date.now() - start).toBeGreaterThanOrEqual(295);
    expect(run.slot.lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(run.exits).toEqual([]);
  });

  it('of a slot never started resolves', async () => {
    run = new SlotRun({ name: 'p', file: PLACEHOLDER });
    await run.slot.stop();
    expect(run.slot.state()).toMatchObject({ pid: null, status: 'stopped', lastExit: null });
  });
});

describe('ChildSlot exits', () => {
  it('kill() SIGKILLs the tree at once; the exit goes to onExit as a crash, the grandchildren already gone', async () => {
    home = tempHome();
    const pidsFile = join(home.dir, 'grandchildren.json');
    run = new SlotRun({ name: 'g', file: fixture('spawn-grandchildren.mjs'), env: { PIDS_FILE: pidsFile }, shutdownMs: 60_000 });
    await run.slot.start();
    const grandchildren = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[];
    for (const pid of grandchildren) run.seen.add(pid);
    let aliveAtExit: number[] = [];
    run.onExit = () => (aliveAtExit = grandchildren.filter(isRunning));
    await run.slot.kill();
    expect(await run.waitExit()).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(aliveAtExit).toEqual([]);
  });

  it("a crash's leftovers, in the group or out of it (marker), are SIGKILLed before onExit", async () => {
    home = tempHome();
    const file = join(home.dir, 'pids');
    run = new SlotRun({ name: 'sh', command: 'sh', args: ['-c', `sleep 1000 & echo $! >> ${file}; setsid sleep 4245 & echo $! >> ${file}; exec sleep 1001`] });
    await run.slot.start();
    const left = await readPids(file, 2);
    for (const pid of left) run.seen.add(pid);
    await waitFor(() => readStat(left[1]!)?.pgrp === left[1], 'the escaped process to lead its own group');
    let aliveAtExit: number[] = [];
    run.onExit = () => (aliveAtExit = left.filter(isRunning));
    process.kill(run.slot.pid!, 'SIGKILL');
    expect(await run.waitExit()).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(aliveAtExit).toEqual([]);
  });

  it('a child that stops answering pings is reported hung once; the kill is left to the owner', async () => {
    home = tempHome();
    run = new SlotRun({ name: 'h', file: fixture('hang-on-ping.mjs'), env: { HANG_FILE: join(home.dir, 'hung') } }, { heartbeatMs: 100 });
    await run.slot.start();
    const pid = run.slot.pid!;
    await waitFor(() => run!.hung > 0, 'onHung');
    // The one fixed wait: the heartbeat has stopped, so no second report comes and nothing kills it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(run.hung).toBe(1);
    expect(isRunning(pid)).toBe(true);
    await run.slot.kill();
    expect(await run.waitExit()).toMatchObject({ signal: 'SIGKILL' });
  });

  it("passes a child's activity to onActivity", async () => {
    run = new SlotRun({ name: 'a', file: fixture('activity-on-signal.mjs') });
    await run.slot.start();
    process.kill(run.slot.pid!, 'SIGUSR2');
    await waitFor(() => run!.activity === 1, 'onActivity');
  });
});
