import { describe, expect, it } from 'vitest';
import type { EventType } from '../../src/contract/events.js';
import { useTempStore } from './helpers.js';

// Recent: pruning on open removes old events of sessions the store does not hold.
const at = new Date().toISOString();

describe('store: events', () => {
  const t = useTempStore();

  const append = (session: string, type: EventType = 'child.started', fields: Record<string, unknown> = {}) =>
    t.store.events.append({ at, session, type, ...fields });

  it('numbers events from 1, one more each time, and returns them with their fields', () => {
    expect(t.store.events.lastSeq()).toBe(0);
    expect(t.store.events.since(0)).toEqual([]);
    const exited = append('a', 'child.exited', { child: 'placeholder', code: null, signal: 'SIGKILL', tail: ['x'] });
    expect(exited).toEqual({ seq: 1, at, session: 'a', type: 'child.exited', child: 'placeholder', code: null, signal: 'SIGKILL', tail: ['x'] });
    expect(Object.keys(exited).slice(0, 4)).toEqual(['seq', 'at', 'session', 'type']);
    expect([append('b').seq, append('a').seq]).toEqual([2, 3]);
    expect(t.store.events.since(0)[0]).toEqual(exited);
    expect(t.store.events.lastSeq()).toBe(3);
  });

  it('ignores a seq the caller put on the event', () => {
    expect(t.store.events.append({ at, session: 'a', type: 'session.active', seq: 99 }).seq).toBe(1);
    expect(t.store.events.since(0)[0]).not.toHaveProperty('seq', 99);
  });

  it('continues the sequence across close and reopen', () => {
    for (let i = 0; i < 5; i++) append('a');
    t.reopen();
    expect(t.store.events.lastSeq()).toBe(5);
    expect(append('a').seq).toBe(6);
    expect(t.store.events.since(0).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads after a seq, oldest first, by session and with a limit', () => {
    for (const session of ['a', 'b', 'a', 'c', 'a', 'b']) append(session);
    expect(t.store.events.since(2).map((e) => e.seq)).toEqual([3, 4, 5, 6]);
    expect(t.store.events.since(2, { limit: 2 }).map((e) => e.seq)).toEqual([3, 4]);
    expect(t.store.events.since(0, { session: 'a' }).map((e) => e.seq)).toEqual([1, 3, 5]);
    expect(t.store.events.since(1, { session: 'a', limit: 1 }).map((e) => e.seq)).toEqual([3]);
    expect(t.store.events.since(0, { session: 'nobody' })).toEqual([]);
    expect(t.store.events.since(6)).toEqual([]);
  });

  it('pages through the journal with since(last seq of the page) without loss or repetition', () => {
    for (let i = 0; i < 25; i++) append(`s${i % 3}`);
    const seen: number[] = [];
    for (let page = t.store.events.since(0, { limit: 10 }); page.length > 0; page = t.store.events.since(seen.at(-1)!, { limit: 10 })) {
      seen.push(...page.map((e) => e.seq));
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });
});
