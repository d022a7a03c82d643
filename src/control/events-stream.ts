import { SessiondError } from '../contract/errors.js';
import type { StoredEvent } from '../contract/events.js';
import { abortWait } from './abort-wait.js';
import type { RequestContext } from './dispatch.js';
import type { ParamsOf } from './protocol.js';
import { SessionEnd, type SessionEnds } from './session-end.js';

/** A follower falls this far behind (bytes written, not yet read) and is cut off. */
export const MAX_UNREAD_BYTES = 1024 * 1024;
const PAGE = 500;

export interface EventSource extends SessionEnds {
  since(seq: number, options: { session?: string; limit?: number }): StoredEvent[];
  /** The seq after which the last `count` events lie (of one session if given): `--lines N`. */
  startOfLast(count: number, options: { session?: string }): number;
}

/**
 * `events`: the stored events after `since` (or the last `lines`), oldest first, sent page by
 * page as partials: the reader's pace sets how fast the next page is read, so a long journal
 * never sits in the daemon's memory. With `follow`, then every new event as it is recorded,
 * until the client goes, or (with `session`) until that session has ended and its last event
 * is out. The backlog is read right after subscribing, both synchronous with the store, so
 * nothing is missed or repeated in between. A follower that does not keep up is cut off with
 * an error telling it where to resume (`--since`), rather than making the daemon buffer
 * without bound.
 */
export async function streamEvents(source: EventSource, params: ParamsOf<'events'>, context: RequestContext): Promise<StoredEvent[]> {
  const filter = params.session === undefined ? {} : { session: params.session };
  let last = params.lines === undefined ? params.since : source.startOfLast(params.lines, filter);
  const live: StoredEvent[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = params.follow
    ? source.subscribe((event) => {
        if (params.session !== undefined && event.session !== params.session) return;
        live.push(event);
        wake?.();
      })
    : () => undefined;
  const end = params.follow && params.session !== undefined ? new SessionEnd(source, params.session) : null;
  const { aborted, dispose } = abortWait(context.signal);
  try {
    for (;;) {
      const page = source.since(last, { ...filter, limit: PAGE });
      if (!page.length) break;
      last = send(page, last, context);
      await Promise.race([aborted, drained(context)]);
      if (context.signal.aborted) return [];
    }
    while (params.follow && !context.signal.aborted) {
      // Events recorded while the backlog was sent are in both: the seq tells which were sent.
      const batch = live.splice(0).filter((e) => e.seq > last);
      last = send(batch, last, context);
      if (end?.ended) break;
      await Promise.race([aborted, new Promise<void>((resolve) => (wake = resolve))]);
      wake = null;
    }
    return [];
  } finally {
    unsubscribe();
    dispose();
    end?.close();
  }
}

function send(events: readonly StoredEvent[], last: number, context: RequestContext): number {
  for (const event of events) {
    if (context.unread() > MAX_UNREAD_BYTES) {
      throw new SessiondError('slow_reader', `events: this reader fell more than ${MAX_UNREAD_BYTES} bytes behind and was cut off; resume with --since ${last}`);
    }
    context.partial(event);
    last = event.seq;
  }
  return last;
}

// Lets a backlog page reach the client before the next is read: a long journal never sits in memory.
async function drained(context: RequestContext): Promise<void> {
  while (context.unread() > 64 * 1024 && !context.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 10));
}
