import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/contract/events.js';
import type { EventListener } from '../../src/daemon/journal.js';
import { MAX_UNREAD_BYTES, streamEvents } from '../../src/control/events-stream.js';

// A journal in memory: the stream's policy (backlog, then live, cut-off) is what is tested here;
// the real journal and socket are exercised end to end in test/daemon.
function journal(count: number) {
  const events: StoredEvent[] = Array.from({ length: count }, (_, i) => ({ seq: i + 1, at: '', session: i % 2 ? 'a' : 'b', type: 'session.active' }));
  const listeners = new Set<EventListener>();
  const of = (session?: string) => events.filter((e) => session === undefined || e.session === session);
  const reads: number[] = [];
  return {
    reads,
    listeners,
    since: (seq: number, o: { session?: string; limit?: number }) => {
      const page = of(o.session).filter((e) => e.seq > seq).slice(0, o.limit ?? Infinity);
      reads.push(page.length);
      return page;
    },
    startOfLast: (n: number, o: { session?: string }) => (n === 0 ? events.length : (of(o.session).at(-n)?.seq ?? 1) - 1),
    terminated: (session: string) => events.some((e) => e.session === session && e.type === 'session.terminated'),
    subscribe: (l: EventListener) => (listeners.add(l), () => listeners.delete(l)),
    add(session: string, type: StoredEvent['type'] = 'session.idle') {
      const event = { seq: events.length + 1, at: '', session, type } as const;
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
  it('without follow sends the events after since, or the last N, as partials', async () => {
    const run = async (params: Parameters<typeof streamEvents>[1]) => {
      const { sent, ctx } = context();
      expect(await streamEvents(journal(5), params, ctx)).toEqual([]);
      return sent.map((e) => e.seq);
    };
    expect(await run({ since: 2, follow: false })).toEqual([3, 4, 5]);
    expect(await run({ since: 0, follow: false, session: 'a' })).toEqual([2, 4]);
    expect(await run({ since: 0, lines: 2, follow: false })).toEqual([4, 5]);
    expect(await run({ since: 0, lines: 1, follow: false, session: 'a' })).toEqual([4]);
    expect(await run({ since: 0, lines: 9, follow: false })).toEqual([1, 2, 3, 4, 5]);
    expect(await run({ since: 0, lines: 0, follow: false })).toEqual([]);
  });

  it('without follow reads a long journal a page at a time, the next once the reader has taken the last', async () => {
    const j = journal(20_000);
    let unread = 0;
    let keepingUp = false;
    const { sent, ctx } = context(() => (keepingUp ? 0 : unread));
    ctx.partial = (e: unknown) => (sent.push(e as StoredEvent), (unread += 200));
    const done = streamEvents(j, { since: 0, follow: false }, ctx);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(j.reads).toEqual([500]); // 100 kB unread: the next page waits for the reader
    unread = 0;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(j.reads).toEqual([500, 500]);
    keepingUp = true;
    await done;
    expect(sent.length).toBe(20_000);
    expect(Math.max(...j.reads)).toBe(500);
  });

  it('a follower of one session ends after that session’s end; one of a session already ended, after its backlog', async () => {
    const j = journal(4);
    const { sent, ctx } = context();
    const done = streamEvents(j, { since: 0, follow: true, session: 'a' }, ctx);
    j.add('a');
    await new Promise((resolve) => setImmediate(resolve));
    j.add('a', 'session.terminated');
    expect(await done).toEqual([]);
    expect(sent.map((e) => [e.seq, e.type])).toEqual([[2, 'session.active'], [4, 'session.active'], [5, 'session.idle'], [6, 'session.terminated']]);
    expect(j.listeners.size).toBe(0);

    const again = context();
    expect(await streamEvents(j, { since: 0, lines: 1, follow: true, session: 'a' }, again.ctx)).toEqual([]);
    expect(again.sent.map((e) => e.seq)).toEqual([6]);
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
