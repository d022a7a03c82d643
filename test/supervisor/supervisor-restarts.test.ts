import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRunning, killAll } from '../helpers/proc.js';
import { after, crasher, fixture, isType, placeholder, runsOfEachTest, SupervisorRun } from './harness.js';

const { started, track, tempDir } = runsOfEachTest();

describe('restarts', () => {
  it('one_for_one restarts the crashed child alone', async () => {
    const r = await started({ strategy: 'one_for_one', children: ['a', 'b', 'c'].map((name) => crasher(name)) });
    const [a, b, c] = ['a', 'b', 'c'].map((name) => r.pid(name));
    process.kill(b!, 'SIGKILL');
    const restarted = await r.waitEvent('restarted', 'b');
    expect(after(r, 3)).toEqual(['exited b', 'restarted b']);
    expect(r.childReports('exited', 'b')[0]).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(restarted).toMatchObject({ restarts: 1, child: { name: 'b', status: 'running', restarts: 1 } });
    expect(restarted.child.pid).not.toBe(b);
    expect(isRunning(b!)).toBe(false);
    expect([r.pid('a'), r.pid('c')]).toEqual([a, c]);
    expect([a!, c!].every(isRunning)).toBe(true);
  });

  it('one_for_all stops the others in reverse order and restarts all in start order, counting once', async () => {
    const r = await started({ strategy: 'one_for_all', maxRestarts: 1, maxSeconds: 60, children: ['a', 'b', 'c'].map((name) => crasher(name)) });
    const before = ['a', 'b', 'c'].map((name) => r.pid(name));
    process.kill(r.pid('b'), 'SIGUSR1');
    await r.waitEvent('restarted', 'c');
    expect(after(r, 3)).toEqual(['exited b', 'exited c', 'exited a', 'restarted a', 'restarted b', 'restarted c']);
    expect(r.childReports('exited', 'b')[0]).toMatchObject({ code: 1, signal: null });
    expect(before.filter(isRunning)).toEqual([]);
    // One crash, one restart of the group: within maxRestarts 1.
    expect(r.reports.some(isType('gave_up'))).toBe(false);
    expect(r.exits).toEqual([]);
  });

  it('rest_for_one restarts the crashed child and those started after it', async () => {
    const r = await started({ strategy: 'rest_for_one', children: ['a', 'b', 'c'].map((name) => crasher(name)) });
    const a = r.pid('a');
    process.kill(r.pid('b'), 'SIGUSR1');
    await r.waitEvent('restarted', 'c');
    expect(after(r, 3)).toEqual(['exited b', 'exited c', 'restarted b', 'restarted c']);
    expect(r.pid('a')).toBe(a);
    expect(isRunning(a)).toBe(true);
  });

  // Bug (src/supervisor/supervisor.ts, handleExit): when two children of a one_for_all (or
  // rest_for_one) group crash at once, both exits are queued. The first restarts the whole group,
  // b included; the second, b's stale exit, is then handled against b's new run: it reports
  // `exited b` with the new run's pid and restarts the group again. As `other === slot` skips
  // stopping b, `member.start()` spawns another process for b while its current run still runs,
  // forgotten by the slot: it is never stopped, not even by shutdown (a leaked child), and the
  // stale exit counts toward the restart intensity. OTP drops such an exit (unlink_flush); the
  // exit should name its run, and an exit of a run that is no longer the slot's be ignored.
  it('two children crashing at once: one group restart, and no run of theirs left behind', async () => {
    const r = new SupervisorRun({ strategy: 'one_for_all', maxRestarts: 10, maxSeconds: 60, children: ['a', 'b', 'c'].map((name) => crasher(name)) });
    try {
      await r.supervisor.start();
      process.kill(r.pid('a'), 'SIGKILL');
      process.kill(r.pid('b'), 'SIGKILL');
      await r.waitEvent('restarted', 'c');
      // The one fixed wait: a second group restart would come within it.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(r.childReports('restarted', 'c')).toHaveLength(1);
      await r.close(); // fails naming the leaked pid
    } finally {
      killAll(r.seen);
    }
  });

  it("SIGKILLs a crashed child's grandchildren before it is restarted", async () => {
    const dir = tempDir();
    const pidsFile = join(dir, 'grandchildren.json');
    const readGrandchildren = () => JSON.parse(readFileSync(pidsFile, 'utf8')) as number[];
    const r = await started({ children: [{ name: 'g', file: fixture('spawn-grandchildren.mjs'), env: { PIDS_FILE: pidsFile } }] });
    const grandchildren = readGrandchildren();
    for (const pid of grandchildren) r.seen.add(pid);
    expect(grandchildren.every(isRunning)).toBe(true);
    let aliveAtRespawn: number[] | null = null;
    r.onReport = (m) => {
      if (m.type === 'child' && m.event === 'spawned') aliveAtRespawn ??= grandchildren.filter(isRunning);
    };
    process.kill(r.pid('g'), 'SIGKILL');
    await r.waitEvent('restarted', 'g');
    expect(aliveAtRespawn).toEqual([]);
    for (const pid of readGrandchildren()) r.seen.add(pid);
  });
});

describe('restart intensity', () => {
  it('one crash past maxRestarts within maxSeconds: gave_up, the other children stopped, exit 70', async () => {
    const r = await started({ maxRestarts: 1, maxSeconds: 60, children: [crasher('a'), placeholder('b')] });
    const b = r.pid('b');
    process.kill(r.pid('a'), 'SIGUSR1');
    await r.waitEvent('restarted', 'a');
    process.kill(r.pid('a'), 'SIGUSR1');
    expect(await r.waitExit()).toBe(70);
    const gaveUp = r.reports.findIndex(isType('gave_up'));
    expect(r.reports[gaveUp]).toEqual({ type: 'gave_up', reason: 'restart intensity exceeded: more than 1 restarts within 60 s (last: child a exit code 1)' });
    expect(after(r, 2)).toEqual(['exited a', 'restarted a', 'exited a', 'exited b']);
    expect(r.reports.findIndex((m) => m.type === 'child' && m.event === 'exited' && m.child.name === 'b')).toBeGreaterThan(gaveUp);
    expect(isRunning(b)).toBe(false);
  });

  it('maxRestarts 0: the first crash gives up', async () => {
    const r = await started({ maxRestarts: 0, children: [crasher('a'), placeholder('b')] });
    process.kill(r.pid('a'), 'SIGKILL');
    expect(await r.waitExit()).toBe(70);
    expect(r.reports.find(isType('gave_up'))?.reason).toMatch(/^restart intensity exceeded: more than 0 restarts within 5 s \(last: child a signal SIGKILL\)$/);
    expect(r.childReports('restarted')).toEqual([]);
  });

  it('a restart that fails is tried again, each try counted, until the intensity gives up', async () => {
    const dir = tempDir();
    const r = await started({ maxRestarts: 2, maxSeconds: 60, children: [{ name: 'a', file: fixture('ready-once.mjs'), env: { RUN_FILE: join(dir, 'ran') } }] });
    process.kill(r.pid('a'), 'SIGUSR1');
    expect(await r.waitExit()).toBe(70);
    expect(r.childReports('exited', 'a').map((m) => m.code)).toEqual([1, 4, 4]);
    expect(r.childReports('restarted')).toEqual([]);
    expect(r.reports.find(isType('gave_up'))?.reason).toMatch(/\(last: child a exit code 4\)$/);
  });
});

describe('restart types', () => {
  it('temporary: never restarted, and the session goes on', async () => {
    const r = await started({ children: [crasher('t', { restart: 'temporary' }), crasher('p')] });
    process.kill(r.pid('t'), 'SIGUSR1');
    await r.waitEvent('exited', 't');
    // Exits are handled in turn: once p is restarted, t's exit has been decided.
    process.kill(r.pid('p'), 'SIGUSR1');
    await r.waitEvent('restarted', 'p');
    expect(after(r, 2)).toEqual(['exited t', 'exited p', 'restarted p']);
    expect(r.exits).toEqual([]);
  });

  it('transient: restarted after an abnormal exit only', async () => {
    const r = await started({
      children: [crasher('normal', { restart: 'transient', env: { EXIT_CODE: '0' } }), crasher('failing', { restart: 'transient', env: { EXIT_CODE: '2' } })],
    });
    process.kill(r.pid('normal'), 'SIGUSR1');
    await r.waitEvent('exited', 'normal');
    process.kill(r.pid('failing'), 'SIGUSR1');
    await r.waitEvent('restarted', 'failing');
    expect(after(r, 2)).toEqual(['exited normal', 'exited failing', 'restarted failing']);
    expect(r.childReports('exited').map((m) => m.code)).toEqual([0, 2]);
  });

  it('one_for_all stops a temporary sibling and does not restart it', async () => {
    const r = await started({ strategy: 'one_for_all', children: [placeholder('t', { restart: 'temporary' }), crasher('p')] });
    const t = r.pid('t');
    process.kill(r.pid('p'), 'SIGUSR1');
    await r.waitEvent('restarted', 'p');
    expect(after(r, 2)).toEqual(['exited p', 'exited t', 'restarted p']);
    expect(isRunning(t)).toBe(false);
    expect(r.childReports(undefined, 't').at(-1)?.child).toMatchObject({ pid: null, status: 'stopped' });
  });
});

describe('hung children', () => {
  it('a child that stops answering pings is reported hung, SIGKILLed and restarted', async () => {
    const dir = tempDir();
    const hangFile = join(dir, 'hung');
    const r = await started({ children: [{ name: 'h', file: fixture('hang-on-ping.mjs'), env: { HANG_FILE: hangFile } }] }, { heartbeatMs: 100 });
    const first = r.pid('h');
    await r.waitEvent('restarted', 'h');
    expect(Number(readFileSync(hangFile, 'utf8'))).toBe(first);
    expect(after(r, 1)).toEqual(['hung h', 'exited h', 'restarted h']);
    expect(r.childReports('exited', 'h')[0]).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(isRunning(first)).toBe(false);
    // The one fixed wait: the new run answers its pings, so it is not reported hung (that takes 400 ms).
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(after(r, 1)).toEqual(['hung h', 'exited h', 'restarted h']);
  });
});
