import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store, type StoreOptions } from '../../src/store/index.js';
import { tempHome } from '../helpers/proc.js';
import { daysAgo, recordFor } from './helpers.js';

const now = Date.parse('2026-06-01T12:00:00.000Z');

describe('store: pruning', () => {
  let home: ReturnType<typeof tempHome>;
  let file: string;
  const stores: Store[] = [];
  const open = (options: StoreOptions = {}) => {
    const store = Store.open(file, { now: () => now, ...options });
    stores.push(store);
    return store;
  };
  beforeEach(() => {
    home = tempHome();
    file = join(home.dir, 'state.db');
  });
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    home.cleanup();
  });

  it('keeps the newest N terminated sessions and every live one', () => {
    const store = open({ maxTerminated: 2 });
    for (let i = 1; i <= 4; i++) store.sessions.put(recordFor(`t${i}`, { status: 'terminated' }, daysAgo(now, 5 - i)));
    store.sessions.put(recordFor('live', { status: 'active' }, daysAgo(now, 30)));
    expect(store.prune()).toEqual({ sessions: ['t1', 't2'], events: 0 });
    expect(store.sessions.list({ all: true }).map((r) => r.id)).toEqual(['live', 't3', 't4']);
    expect(store.prune()).toEqual({ sessions: [], events: 0 });
  });

  it('removes terminated sessions older than the age limit, and their events once as old', () => {
    const store = open({ maxAgeMs: 7 * 24 * 3600_000 });
    store.sessions.put(recordFor('old', { status: 'terminated' }, daysAgo(now, 8)));
    store.sessions.put(recordFor('recent', { status: 'terminated' }, daysAgo(now, 6)));
    store.sessions.put(recordFor('ancient-live', { status: 'idle' }, daysAgo(now, 100)));
    store.sessions.put(recordFor('young', { status: 'terminated' }, daysAgo(now, 1)));
    const event = (session: string, days: number) => store.events.append({ at: daysAgo(now, days), session, type: 'session.created' });
    event('old', 9); // seq 1: goes with its session
    event('old', 6); // seq 2: its session is gone, but it is younger than the limit
    event('recent', 9); // seq 3: its session is kept, so are its events
    event('ancient-live', 100); // seq 4: live sessions keep everything
    const last = event('old', 8); // seq 5: the newest seq goes too
    expect(store.prune()).toEqual({ sessions: ['old'], events: 2 });
    expect(store.sessions.list({ all: true }).map((r) => r.id).sort()).toEqual(['ancient-live', 'recent', 'young']);
    expect(store.events.since(0).map((e) => e.seq)).toEqual([2, 3, 4]);
    // Deleting the newest event does not give its seq out again.
    expect(store.events.lastSeq()).toBe(last.seq);
    expect(store.events.append({ at: daysAgo(now, 0), session: 'young', type: 'session.active' }).seq).toBe(last.seq + 1);
  });

  it('prunes on open unless told not to', () => {
    const first = open({ maxTerminated: 0 });
    first.sessions.put(recordFor('t', { status: 'terminated' }, daysAgo(now, 0)));
    first.close();
    expect(open({ maxTerminated: 0, pruneOnOpen: false }).sessions.get('t')).not.toBeNull();
    stores.pop()!.close();
    expect(open({ maxTerminated: 0 }).sessions.get('t')).toBeNull();
  });

  it('never removes a replaced session: its id is in use again', () => {
    const store = open({ maxTerminated: 0 });
    store.events.append({ at: daysAgo(now, 30), session: 's', type: 'session.created' });
    store.sessions.put(recordFor('s', { status: 'active' }, daysAgo(now, 0)));
    store.prune();
    expect(store.sessions.get('s')).not.toBeNull();
    expect(store.events.since(0, { session: 's' })).toHaveLength(1);
  });
});
