import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SessiondError } from '../../src/contract/errors.js';
import { runningMarked } from '../../src/process/marker.js';
import { waitFor } from '../helpers/proc.js';
import { fixture, Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const OFFSETS = [0, 1, 5, 10, 20, 40, 60, 80, 120, 160, 200, 300, 400];

describe('a terminate that meets a start', () => {
  it.each([
    ['a command child', { name: 'cmd', command: 'sleep', args: ['1000'] }],
    ['a Node child', { name: 'node', file: fixture('exit-on-signal.mjs') }],
  ])('ends %s at every offset, and the manager goes on serving', async (_what, child) => {
    h = new Harness();
    const manager = h.manager;
    // Every offset at once: the terminates land before, during and after the supervisors' ready.
    await Promise.all(
      OFFSETS.map(async (ms) => {
        const id = `race-${child.name}-${ms}`;
        const created = manager.createSession({ id, children: [child] }).then(
          () => 'active',
          (error: unknown) => (error as SessiondError).code,
        );
        await after(ms);
        await manager.terminateSession(id);
        expect(['active', 'start_failed']).toContain(await created);
        const info = await manager.getSessionInfo(id);
        expect(info.status).toBe('terminated');
        expect(info.supervisorPid).toBeNull();
        expect(runningMarked({ session: id })).toEqual([]);
      }),
    );
    expect((await h.create({ id: 'after-the-races' })).startsWith('after')).toBe(true);
  });
});

describe('a fault in one session', () => {
  it('ends that session with an internal error; the other sessions carry on', async () => {
    h = new Harness();
    const manager = h.manager;
    await h.create({ id: 'victim', children: [{ name: 'worker', file: fixture('exit-on-signal.mjs') }] });
    await h.create({ id: 'bystander' });
    const bystander = await manager.getSessionInfo('bystander');
    // A listener that throws on one session's event: the fault is injected where the daemon's journal sits.
    manager.on('event', (event) => {
      if (event.session === 'victim' && event.type === 'child.exited') throw new Error('injected fault');
    });
    manager.kill('victim', { child: 'worker' });
    const ended = await h.waitEvent((e) => e.session === 'victim' && e.type === 'session.terminated', 'the victim to end');
    expect(ended.error).toMatch(/^internal error: handling event child\.exited: injected fault/);
    expect(runningMarked({ session: 'victim' })).toEqual([]);
    const after = await manager.getSessionInfo('bystander');
    expect(after.status).toBe('active');
    expect(after.children.map((c) => c.pid)).toEqual(bystander.children.map((c) => c.pid));
  });
});

describe('nothing half-made', () => {
  it.each(['sessiond.log', 'supervisors.log', 'sessiond.out', 'sessions'])('an id such as %s names no file of the daemon', async (id) => {
    h = new Harness();
    await h.create({ id });
    expect((await h.manager.getSessionInfo(id)).status).toBe('active');
    await h.manager.terminateSession(id);
  });

  it('a new session of a reused id starts with fresh logs', async () => {
    h = new Harness();
    const talker = (word: string) => ({ id: 'reused', children: [{ name: 'talker', command: 'sh', args: ['-c', `echo ${word}; exec sleep 1000`] }] });
    const log = join(h.home.dir, 'logs', 'sessions', 'reused', 'talker.log');
    await h.create(talker('first'));
    await waitFor(() => readFileSync(log, 'utf8').includes('first'), 'the first run to log');
    await h.manager.terminateSession('reused');
    await h.create(talker('second'));
    await waitFor(() => readFileSync(log, 'utf8').includes('second'), 'the second run to log');
    expect(readFileSync(log, 'utf8')).not.toContain('first');
  });

  it('a start that fails leaves the session terminated with its error, and no process', async () => {
    h = new Harness();
    const failed = await h.manager.createSession({ id: 'doomed', children: [{ name: 'gone', command: '/nonexistent/binary' }] }).catch((e: SessiondError) => e);
    expect(failed).toBeInstanceOf(SessiondError);
    expect((failed as SessiondError).code).toBe('start_failed');
    const info = await h.manager.getSessionInfo('doomed');
    expect(info.status).toBe('terminated');
    expect(info.error).toMatch(/gone/);
    expect(runningMarked({ session: 'doomed' })).toEqual([]);
  });
});
