import { describe, expect, it } from 'vitest';
import { SessiondError } from '../../src/contract/errors.js';
import { recordFor, useTempStore } from './helpers.js';

describe('store: sessions', () => {
  const t = useTempStore();

  it('keeps a record whole across close and reopen', () => {
    const record = recordFor('s1', { error: 'boom', restarts: 3, status: 'idle' });
    t.store.sessions.put(record);
    expect(t.store.sessions.get('s1')).toEqual(record);
    t.reopen();
    expect(t.store.sessions.get('s1')).toEqual(record);
    expect(t.store.sessions.get('nope')).toBeNull();
  });

  it('upserts by id', () => {
    t.store.sessions.put(recordFor('s1'));
    t.store.sessions.put(recordFor('s1', { status: 'terminating', supervisorPid: null, supervisorStartTime: null }));
    expect(t.store.sessions.list({ all: true })).toHaveLength(1);
    expect(t.store.sessions.get('s1')).toMatchObject({ status: 'terminating', supervisorPid: null });
  });

  it('lists live sessions by default, all with all, and resurrects initializing, active, idle and paused', () => {
    const statuses = ['initializing', 'active', 'idle', 'paused', 'terminating', 'terminated'] as const;
    statuses.forEach((status, i) => t.store.sessions.put(recordFor(status, { status }, `2026-01-0${i + 1}T00:00:00.000Z`)));
    expect(t.store.sessions.list().map((r) => r.id)).toEqual(['initializing', 'active', 'idle', 'paused', 'terminating']);
    expect(t.store.sessions.list({ all: true }).map((r) => r.id)).toEqual([...statuses]);
    expect(t.store.sessions.listResurrectable().map((r) => r.id)).toEqual(['initializing', 'active', 'idle', 'paused']);
  });

  it('create refuses the id of a live session and replaces a terminated one, keeping its events', () => {
    t.store.sessions.create(recordFor('s1'));
    t.store.events.append({ at: '2026-01-01T00:00:00.000Z', session: 's1', type: 'session.created' });
    const refused = (() => {
      try {
        t.store.sessions.create(recordFor('s1', { restarts: 9 }));
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(SessiondError);
    expect(refused).toMatchObject({ code: 'already_exists', message: expect.stringContaining('s1 already exists and is active') });
    expect(t.store.sessions.get('s1')?.restarts).toBe(0);

    t.store.sessions.put(recordFor('s1', { status: 'terminated', error: 'supervisor crashed: exit code 1' }));
    const again = recordFor('s1', { status: 'initializing' }, '2026-02-01T00:00:00.000Z');
    t.store.sessions.create(again);
    t.store.events.append({ at: '2026-02-01T00:00:00.000Z', session: 's1', type: 'session.created' });
    expect(t.store.sessions.get('s1')).toEqual(again);
    expect(t.store.events.since(0, { session: 's1' }).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('refuses a record whose spec belongs to another id', () => {
    const record = recordFor('s1');
    expect(() => t.store.sessions.put({ ...record, id: 's2' })).toThrow(/s2 holds the spec of s1/);
  });

  it('writes a session and its event together or not at all', () => {
    expect(() =>
      t.store.transaction(() => {
        t.store.sessions.put(recordFor('s1'));
        t.store.events.append({ at: '2026-01-01T00:00:00.000Z', session: 's1', type: 'session.created' });
        throw new Error('crash between the two');
      }),
    ).toThrow('crash between the two');
    expect(t.store.sessions.get('s1')).toBeNull();
    expect(t.store.events.lastSeq()).toBe(0);
    const stored = t.store.transaction(() => {
      t.store.sessions.put(recordFor('s1'));
      return t.store.events.append({ at: '2026-01-01T00:00:00.000Z', session: 's1', type: 'session.created' });
    });
    // The rolled-back event took no seq with it.
    expect(stored.seq).toBe(1);
  });
});
