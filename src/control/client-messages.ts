import type { PublishedMessage } from '../manager/message-log.js';
import { run, type StreamTarget } from './client-streams.js';
import type { RequestChannel } from './connection.js';
import type { FollowOptions } from './follow.js';
import type { ParamsInput, Results } from './protocol.js';

export interface MessagesOptions extends FollowOptions {
  /** Only the messages of this session (an id or a unique prefix). */
  readonly session?: string;
  readonly follow?: boolean;
}

/**
 * SessionClient.messages: the kept messages, oldest first; with `follow`, then each new one. The
 * daemon keeps messages in memory only, so a follower back after a daemon restart goes on with
 * what the new daemon has heard; one that reconnects to the same daemon skips what it already
 * delivered (anything not later than the last message's time).
 */
export async function messagesStream(target: StreamTarget, options: MessagesOptions, onMessage: (message: PublishedMessage) => void, signal?: AbortSignal): Promise<void> {
  // The time of the last message delivered; each attempt skips what is not later than it was when the attempt began.
  let last: string | null = null;
  const params: ParamsInput<'messages'> = { follow: options.follow ?? false, ...(options.session === undefined ? {} : { session: options.session }) };
  const attempt = async (connection: RequestChannel) => {
    const before = last;
    const deliver = (message: PublishedMessage) => {
      if (before !== null && message.at <= before) return;
      if (last === null || message.at > last) last = message.at;
      onMessage(message);
    };
    const messages = (await connection.request('messages', params, (message) => deliver(message as PublishedMessage))) as Results['messages'];
    messages.forEach(deliver);
  };
  await run(target, attempt, options, signal, () => 'run messages --follow again to go on');
}
