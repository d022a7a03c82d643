// Lifetimes (ttlMs, idleTerminateMs) and admission (--max-sessions) through a real SessionManager.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

const typesOf = (id: string) => h.events.filter((e) => e.session === id).map((e) => e.type);

describe('lifetimes', { timeout: 30_000 }, () => {
  it('ttlMs: terminated that long after its create, session.expired before it ends', async () => {
    h = new Harness({ heartbeatMs: 100 });
    const id = await h.create({ id: 'mortal', ttlMs: 2500 });
    const ended = await h.waitEvent((e) => e.session === id && e.type === 'session.terminated', 'the end');
    expect(ended.error).toBe('ttl expired after 2500 ms');
    expect(Date.parse(ended.at) - Date.parse((await h.manager.getSessionInfo(id)).createdAt)).toBeGreaterThanOrEqual(2500);
    expect(typesOf(id).slice(-4)).toEqual(['session.expired', 'session.terminating', 'child.exited', 'session.terminated']);
    expect((await h.manager.getSessionInfo(id)).limits.ttlMs).toBe(2500);
  });

  it('ttlMs of a resurrected session counts from its first create', async () => {
    h = new Harness({ heartbeatMs: 100 });
    const id = await h.create({ id: 'old', ttlMs: 60_000 });
    const { spec } = h.manager.record(id);
    await h.manager.terminateSession(id);
    const createdAt = new Date(Date.now() - 120_000).toISOString();
    await expect(h.manager.resurrectSession({ spec, createdAt })).rejects.toMatchObject({ code: 'start_failed' });
    expect((await h.manager.getSessionInfo(id)).error).toBe('ttl expired after 60000 ms');
  });

  it('idleTerminateMs: a session without activity that long is terminated', async () => {
    h = new Harness({ heartbeatMs: 100 });
    const id = await h.create({ id: 'quiet', idleTerminateMs: 500 });
    const ended = await h.waitEvent((e) => e.session === id && e.type === 'session.terminated', 'the end');
    expect(ended.error).toBe('idle for 500 ms');
    expect(typesOf(id)).not.toContain('session.expired');
  });

  it('the idle clock stands still while the session is paused', async () => {
    h = new Harness({ heartbeatMs: 100 });
    const id = await h.create({ id: 'napping', idleTerminateMs: 800 });
    await h.manager.pauseSession(id);
    // The one fixed wait: longer than idleTerminateMs, and the paused session is still there.
    await sleep(1200);
    expect((await h.manager.getSessionInfo(id)).status).toBe('paused');
    await h.manager.resumeSession(id);
    const ended = await h.waitEvent((e) => e.session === id && e.type === 'session.terminated', 'the end after the resume');
    expect(ended.error).toBe('idle for 800 ms');
  });

  it('a paused session brought back comes back paused', async () => {
    h = new Harness({ heartbeatMs: 100 });
    const id = await h.create({ id: 'sleeper' });
    const record = h.manager.record(id);
    await h.manager.terminateSession(id);
    await h.manager.resurrectSession({ ...record, status: 'paused' });
    expect((await h.manager.getSessionInfo(id)).status).toBe('paused');
    expect(typesOf(id).slice(-3)).toEqual(['child.started', 'session.active', 'session.paused']);
    await h.snapshot(id);
  });
});

describe('admission: maxSessions', () => {
  it('a create past maxSessions live sessions fails with capacity; nothing is started; a terminate makes room', async () => {
    h = new Harness({ maxSessions: 2 });
    const [a] = await Promise.all([h.create({ id: 'a' }), h.create({ id: 'b' })]);
    await expect(h.manager.createSession({ id: 'c' })).rejects.toMatchObject({ code: 'capacity', message: expect.stringContaining('--max-sessions') });
    expect(h.manager.has('c')).toBe(false);
    expect(h.events.filter((e) => e.session === 'c')).toEqual([]);
    await h.manager.terminateSession(a!);
    await h.create({ id: 'c' });
    expect((await h.manager.listSessions()).map((s) => s.id)).toEqual(['b', 'c']);
  });
});
