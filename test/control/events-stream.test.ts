import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/contract/events.js';
import type { EventListener } from '../../src/daemon/journal.js';
import { MAX_UNREAD_BYTES, streamEvents } from '../../src/control/events-stream.js';

// A journal in memory: the stream's policy (backlog, then live, cut-off) is what is tested here;
// the real journal and socket are exercised end to end in test/daemon.
function journal(count: number) {
  const events: StoredEvent[] = Array.from({ length: count }, (_, i) => ({ seq: i + 1, at: '', session: i % 2 ? 'a' : 'b', type: 'session.active' }));
  const listeners = new Set<EventListener>();
  return {
    since: (seq: number, o: { session?: string; limit?: number }) =>
      events.filter((e) => e.seq > seq && (o.session === undefined || e.session === o.session)).slice(0, o.limit ?? Infinity),
    subscribe: (l: EventListener) => (listeners.add(l), () => listeners.delete(l)),
    add(session: string) {
      const event = { seq: events.length + 1, at: '', session, type: 'session.idle' } as const;
      events.push(event);
      for (const l of listeners) l(event);
    },
  };
}

function context(unread = () => 0) {
  const sent: StoredEvent[] = [];
  const abort = new AbortController();
  return { sent, abort, ctx: { signal: abort.signal, unread, partial: (e: unknown) => sent.push(e as StoredEvent), takeConnection: noTakeover } };
}

describe('streamEvents', () => {
  it('without follow returns the events after since', async () => {
    const { ctx } = context();
    expect((await streamEvents(journal(5), { since: 2, follow: false }, ctx)).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect((await streamEvents(journal(5), { since: 0, follow: false, session: 'a' }, ctx)).map((e) => e.seq)).toEqual([2, 4]);
  });

  it('with follow sends the backlog in pages, then live events, none missed or repeated', async () => {
    const j = journal(1200);
    const { sent, abort, ctx } = context();
    const done = streamEvents(j, { since: 10, follow: true }, ctx);
    j.add('a');
    await new Promise((resolve) => setImmediate(resolve));
    j.add('b');
    await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    await done;
    expect(sent.map((e) => e.seq)).toEqual(Array.from({ length: 1192 }, (_, i) => i + 11));
  });

  it('cuts off a reader that falls behind, saying where to resume', async () => {
    let unread = 0;
    const j = journal(3);
    const { sent, ctx } = context(() => unread);
    const done = streamEvents(j, { since: 0, follow: true }, ctx);
    await new Promise((resolve) => setImmediate(resolve));
    unread = MAX_UNREAD_BYTES + 1;
    j.add('a');
    await expect(done).rejects.toMatchObject({ code: 'slow_reader', message: expect.stringMatching(/resume with --since 3$/) });
    expect(sent.map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});

function noTakeover(): never {
  throw new Error('a stream of events never takes its connection');
}
