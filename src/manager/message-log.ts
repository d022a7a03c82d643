import { EventEmitter } from 'node:events';

/** What a child published: `messages` prints one a line. */
export interface PublishedMessage {
  readonly at: string;
  readonly session: string;
  readonly child: string;
  readonly topic: string;
  readonly data: unknown;
}

/** Messages kept per session, oldest dropped first: in memory only, never in the store or a log. */
export const MESSAGES_PER_SESSION = 1000;
/** Sessions whose messages are kept, the one heard from least recently dropped first (ended ones stay readable a while). */
export const SESSIONS_KEPT = 200;

/** The last messages of each session, and a feed of new ones for followers. */
export class MessageLog extends EventEmitter<{ message: [PublishedMessage] }> {
  private readonly bySession = new Map<string, PublishedMessage[]>();

  constructor() {
    super();
    // Each `messages --follow` listens: any number of followers is normal, not a leak.
    this.setMaxListeners(0);
  }

  add(message: PublishedMessage): void {
    const kept = this.bySession.get(message.session) ?? [];
    kept.push(message);
    if (kept.length > MESSAGES_PER_SESSION) kept.splice(0, kept.length - MESSAGES_PER_SESSION);
    this.bySession.delete(message.session); // re-inserted last: the map stays in order of recency
    this.bySession.set(message.session, kept);
    if (this.bySession.size > SESSIONS_KEPT) this.bySession.delete(this.bySession.keys().next().value!);
    this.emit('message', message);
  }

  /** Kept messages, oldest first: of one session, or of all in the order they came. */
  list(session?: string): PublishedMessage[] {
    if (session !== undefined) return [...(this.bySession.get(session) ?? [])];
    return [...this.bySession.values()].flat().sort((a, b) => a.at.localeCompare(b.at));
  }

  /** A new session of a reused id starts with no messages. */
  forget(session: string): void {
    this.bySession.delete(session);
  }
}
