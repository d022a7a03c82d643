import { SessiondError } from '../contract/errors.js';
import type { StoredEvent } from '../contract/events.js';
import type { EventListener } from '../daemon/journal.js';
import { abortWait } from './abort-wait.js';
import type { RequestContext } from './dispatch.js';
import type { ParamsOf } from './protocol.js';

/** A follower falls this far behind (bytes written, not yet read) and is cut off. */
export const MAX_UNREAD_BYTES = 1024 * 1024;
const PAGE = 500;

export interface EventSource {
  since(seq: number, options: { session?: string; limit?: number }): StoredEvent[];
  subscribe(listener: EventListener): () => void;
}

/**
 * `events`: the stored events after `since`, oldest first; with `follow`, then every new one as
 * it is recorded, until the client goes. The backlog is read right after subscribing, both
 * synchronous with the store, so nothing is missed or repeated in between. A follower that
 * does not keep up is cut off with an error telling it where to resume (`--since`), rather
 * than making the daemon buffer without bound.
 */
export async function streamEvents(source: EventSource, params: ParamsOf<'events'>, context: RequestContext): Promise<StoredEvent[]> {
  const filter = params.session === undefined ? {} : { session: params.session };
  if (!params.follow) return source.since(params.since, filter);

  let last = params.since;
  const live: StoredEvent[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = source.subscribe((event) => {
    if (params.session !== undefined && event.session !== params.session) return;
    live.push(event);
    wake?.();
  });
  const { aborted, dispose } = abortWait(context.signal);
  try {
    for (;;) {
      const page = source.since(last, { ...filter, limit: PAGE });
      if (!page.length) break;
      last = send(page, last, context);
      await Promise.race([aborted, drained(context)]);
      if (context.signal.aborted) return [];
    }
    while (!context.signal.aborted) {
      // Events recorded while the backlog was sent are in both: the seq tells which were sent.
      const batch = live.splice(0).filter((e) => e.seq > last);
      last = send(batch, last, context);
      await Promise.race([aborted, new Promise<void>((resolve) => (wake = resolve))]);
      wake = null;
    }
    return [];
  } finally {
    unsubscribe();
    dispose();
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
