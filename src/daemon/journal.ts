import type { Logger } from 'pino';
import { errorMessage } from '../contract/errors.js';
import type { SessionEvent, StoredEvent } from '../contract/events.js';
import type { SessionManager } from '../manager/session-manager.js';
import type { Store } from '../store/index.js';
import type { SessionRecord } from '../store/sessions.js';

export type EventListener = (event: StoredEvent) => void;

// Events a supervisor reports that change nothing of their session: its record stays as last
// written (an agent's execs would otherwise rewrite it, spec and all, twice each).
const RECORDLESS: ReadonlySet<SessionEvent['type']> = new Set(['exec.started', 'exec.exited']);

/**
 * Writes the manager's events to the store together with their sessions' records (one
 * transaction: a SIGKILL never leaves one without the other), then hands each stored event, with
 * its seq, to every subscriber. The events of one moment go in one transaction, written once the
 * daemon has done what they came with (setImmediate: in the same turn of its event loop): a
 * create's init is on its way to the supervisor before its `session.created` is written. A reply
 * to a client waits for the write of what its request did (recorded-replies.ts flushes first).
 * Whoever closes the store `flush`es first. Events flow one way: manager → journal → store and readers.
 */
export class Journal {
  private readonly listeners = new Set<EventListener>();
  private frozen = false;
  /**
   * Emitted, not yet written: each with its session's record as it stood then (a terminated one
   * may be forgotten by the write), or null for an event that changed nothing of it (RECORDLESS).
   */
  private pending: { event: SessionEvent; record: SessionRecord | null }[] = [];

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
   * Stops recording (what was emitted before is written first): a `daemon restart` stops the
   * sessions' processes but not the sessions, so the store keeps them as they were for the next
   * daemon to bring back.
   */
  freeze(): void {
    this.flush();
    this.frozen = true;
  }

  private write(event: SessionEvent): void {
    if (this.frozen) return;
    const record = RECORDLESS.has(event.type) ? null : this.manager.record(event.session);
    if (this.pending.push({ event, record }) === 1) setImmediate(() => this.flush());
  }

  /** Writes what was emitted and is not written yet. */
  flush(): void {
    const pending = this.pending.splice(0);
    if (!pending.length || this.frozen) return;
    let stored: StoredEvent[];
    try {
      stored = this.store.transaction(() => {
        const appended = pending.map(({ event }) => this.store.events.append(event));
        // Each session's last record: the state after all of its events.
        const records = pending.flatMap(({ record }) => (record ? [[record.id, record] as const] : []));
        for (const record of new Map(records).values()) this.store.sessions.put(record);
        return appended;
      });
    } catch (error) {
      for (const { event } of pending) this.log.error({ err: error, event }, `could not record event ${event.type}: ${errorMessage(error)}`);
      return;
    }
    for (const event of stored) {
      this.log.info({ event }, event.type);
      for (const listener of this.listeners) listener(event);
    }
  }
}
