import { EventEmitter, getEventListeners } from 'node:events';
import { assert, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/contract/events.js';
import { MAX_UNREAD_BYTES, streamEvents } from '../../src/control/events-stream.js';
import { MAX_UNREAD_MESSAGE_BYTES, streamMessages } from '../../src/control/messages-stream.js';
import type { MessageLog, PublishedMessage } from '../../src/manager/message-log.js';

// A connection's signal outlives one stream (a client may follow, be cut off, and ask again):
// every end of a stream must take its abort listener back, or they pile up on the signal.
it('an events follower cut off as a slow reader leaves no abort listener on the signal', async () => {
  const abort = new AbortController();
  const events: StoredEvent[] = [{ seq: 1, at: '', session: 'a', type: 'session.active' }];
  const source = { since: (seq: number) => events.filter((e) => e.seq > seq), startOfLast: () => 0, terminated: () => false, subscribe: () => () => undefined };
  const ctx = { signal: abort.signal, unread: () => MAX_UNREAD_BYTES + 1, partial: () => undefined, takeConnection: () => assert.fail('a stream takes no connection') };
  for (let i = 0; i < 3; i++) {
    await expect(streamEvents(source, { since: 0, follow: true }, ctx)).rejects.toMatchObject({ code: 'slow_reader' });
  }
  expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
});

it('a messages follower cut off as a slow reader leaves no abort listener on the signal', async () => {
  const abort = new AbortController();
  const message = { session: 'a', child: 'agent', topic: 't', data: 1 } as unknown as PublishedMessage;
  const log = Object.assign(new EventEmitter(), { list: () => [message] }) as unknown as MessageLog;
  const ctx = { signal: abort.signal, unread: () => MAX_UNREAD_MESSAGE_BYTES + 1, partial: () => undefined, takeConnection: () => assert.fail('a stream takes no connection') };
  for (let i = 0; i < 3; i++) {
    await expect(streamMessages(log, { follow: true }, ctx, { terminated: () => false, subscribe: () => () => undefined })).rejects.toMatchObject({ code: 'slow_reader' });
  }
  expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
});
