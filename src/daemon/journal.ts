import type { Logger } from 'pino';
import { errorMessage } from '../contract/errors.js';
import type { SessionEvent, StoredEvent } from '../contract/events.js';
import type { SessionManager } from '../manager/session-manager.js';
import type { Store } from '../store/index.js';

export type EventListener = (event: StoredEvent) => void;

/**
 * Writes each event of the manager to the store together with its session's record (one
 * transaction: a SIGKILL never leaves one without the other), then hands the stored event,
 * with its seq, to every subscriber. Events flow one way: manager → journal → store and readers.
 */
export class Journal {
  private readonly listeners = new Set<EventListener>();
  private frozen = false;

  constructor(
    private readonly store: Store,
    private readonly manager: SessionManager,
    private readonly log: Logger,
  ) {
    manager.on('event', (event) => this.write(event));
  }

  /**
   * Calls `listener` with every event from now on. Synchronous with the store: reading the
   * backlog right after subscribing misses nothing and repeats nothing.
   */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops recording: a `daemon restart` stops the sessions' processes but not the sessions,
   * so the store keeps them as they were for the next daemon to bring back.
   */
  freeze(): void {
    this.frozen = true;
  }

  private write(event: SessionEvent): void {
    if (this.frozen) return;
    let stored: StoredEvent;
    try {
      stored = this.store.transaction(() => {
        const appended = this.store.events.append(event);
        this.store.sessions.put(this.manager.record(event.session));
        return appended;
      });
    } catch (error) {
      this.log.error({ err: error, event }, `could not record event ${event.type}: ${errorMessage(error)}`);
      return;
    }
    this.log.info({ event: stored }, event.type);
    for (const listener of this.listeners) listener(stored);
  }
}
