import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessiondError } from '../../src/contract/errors.js';
import { childSpec, crasher, fixture, placeholder, runsOfEachTest } from './harness.js';

const { started, tempDir } = runsOfEachTest();

describe('why a child exited', () => {
  it('a hung child killed by the supervisor: its exited report and lastExit say reason "hung"', async () => {
    const r = await started({ children: [{ name: 'h', file: fixture('hang-on-ping.mjs'), env: { HANG_FILE: join(tempDir(), 'hung') } }] }, { heartbeatMs: 100 });
    await r.waitEvent('restarted', 'h');
    const exited = r.childReports('exited', 'h')[0]!;
    expect(exited).toMatchObject({ code: null, signal: 'SIGKILL', reason: 'hung' });
    expect(exited.child.lastExit).toMatchObject({ signal: 'SIGKILL', reason: 'hung' });
  });

  it('a crash of its own carries no reason', async () => {
    const r = await started({ children: [crasher('c')] });
    process.kill(r.pid('c'), 'SIGKILL');
    await r.waitEvent('restarted', 'c');
    const exited = r.childReports('exited', 'c')[0]!;
    expect(exited.reason).toBeUndefined();
    expect(exited.child.lastExit).not.toHaveProperty('reason');
  });
});

describe('calls', () => {
  it('a call the child never answers is dropped at its deadline with timeout', async () => {
    const r = await started({ children: [{ name: 'q', file: fixture('ignore-calls.mjs') }] });
    const t0 = Date.now();
    const error = await r.supervisor.request({ op: 'call', child: 'q', body: { hello: 1 }, timeoutMs: 200 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SessiondError);
    expect(error).toMatchObject({ code: 'timeout', message: 'child q did not reply within 200 ms' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe('the child list is the supervisor’s', () => {
  it('every admin answer carries the children and those held; added carries the spec', async () => {
    const r = await started({ children: [placeholder('a')] });
    const spec = childSpec(placeholder('b'));
    const added = await r.supervisor.request({ op: 'add_child', spec });
    expect(added).toMatchObject({ children: [{ name: 'a', status: 'running' }, { name: 'b', status: 'running' }], held: [] });
    expect(r.childReports('added', 'b')[0]!.spec).toEqual(spec);
    expect(await r.supervisor.request({ op: 'stop_child', name: 'b' })).toMatchObject({ children: [{ name: 'a' }, { name: 'b', status: 'stopped', pid: null }], held: ['b'] });
    expect(await r.supervisor.request({ op: 'restart_child', name: 'b' })).toMatchObject({ children: [{ name: 'a' }, { name: 'b', status: 'running' }], held: [] });
    await r.supervisor.request({ op: 'stop_child', name: 'b' });
    expect(await r.supervisor.request({ op: 'remove_child', name: 'b' })).toEqual({ children: [expect.objectContaining({ name: 'a' })], held: [] });
    expect(await r.supervisor.request({ op: 'restart_all' })).toMatchObject({ children: [{ name: 'a', status: 'running' }], held: [] });
  });
});
