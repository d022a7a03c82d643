import { SessiondError } from '../contract/errors.js';
import type { MessageLog, PublishedMessage } from '../manager/message-log.js';
import { abortWait } from './abort-wait.js';
import type { RequestContext } from './dispatch.js';
import type { ParamsOf } from './protocol.js';
import { SessionEnd, type SessionEnds } from './session-end.js';

// A message may be 1 MiB: a follower is cut off only once it is a few of them behind.
export const MAX_UNREAD_MESSAGE_BYTES = 4 * 1024 * 1024;
// A backlog is written this far ahead of the reader at most: 200 sessions × 1000 messages never sit in the socket's buffer at once.
const BACKLOG_AHEAD_BYTES = 64 * 1024;

/**
 * `messages`: what children published and the daemon still keeps (in memory only), oldest
 * first; with `follow`, each of them and then every new one as a partial, until the client
 * goes, or (with `session`) until that session has ended. Subscribing and reading the kept ones happen in one synchronous step, so nothing is
 * missed or repeated in between. A follower that does not keep up is cut off (slow_reader).
 */
export async function streamMessages(log: MessageLog, params: ParamsOf<'messages'>, context: RequestContext, ends: SessionEnds): Promise<PublishedMessage[]> {
  const wanted = (message: PublishedMessage) => params.session === undefined || message.session === params.session;
  if (!params.follow) return log.list(params.session);

  const queue: PublishedMessage[] = [];
  let wake: (() => void) | null = null;
  const listener = (message: PublishedMessage) => {
    if (!wanted(message)) return;
    queue.push(message);
    wake?.();
  };
  log.on('message', listener);
  const backlog = log.list(params.session);
  // A session's messages all come before its end: its supervisor sends them before it exits.
  const end = params.session === undefined ? null : new SessionEnd(ends, params.session);
  const { aborted, dispose } = abortWait(context.signal);
  try {
    for (const message of backlog) {
      send(message, context);
      while (context.unread() > BACKLOG_AHEAD_BYTES && !context.signal.aborted) await Promise.race([aborted, pause(10)]);
      if (context.signal.aborted) return [];
    }
    while (!context.signal.aborted) {
      for (const message of queue.splice(0)) send(message, context);
      if (end?.ended) break;
      await Promise.race([aborted, end?.reached ?? aborted, new Promise<void>((resolve) => (wake = resolve))]);
      wake = null;
    }
    return [];
  } finally {
    log.off('message', listener);
    dispose();
    end?.close();
  }
}

function send(message: PublishedMessage, context: RequestContext): void {
  if (context.unread() > MAX_UNREAD_MESSAGE_BYTES) {
    throw new SessiondError('slow_reader', `messages: this reader fell more than ${MAX_UNREAD_MESSAGE_BYTES} bytes behind and was cut off; run messages --follow again for the new ones`);
  }
  context.partial(message);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
