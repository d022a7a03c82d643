import type { EventListener } from '../daemon/journal.js';

/** Where a one-session follower learns that its session has ended. */
export interface SessionEnds {
  /** Whether the session is terminated now, as the store has it (its record is written with each of its events). */
  terminated(id: string): boolean;
  subscribe(listener: EventListener): () => void;
}

/**
 * The end of one session, for a follower of it (`events --follow --session`, `logs --follow`,
 * `messages --session --follow`): reached at once for a session already terminated, else by its
 * next `session.terminated`. Subscribing and reading the store happen in one synchronous step,
 * so an end in between is never missed; an earlier run of the id (already in the journal)
 * never counts.
 */
export class SessionEnd {
  #reached: boolean;
  #unsubscribe: () => void;
  #resolve!: () => void;
  /** Resolves once the session has ended. */
  readonly reached: Promise<void> = new Promise((resolve) => (this.#resolve = resolve));

  constructor(source: SessionEnds, id: string) {
    this.#unsubscribe = source.subscribe((event) => {
      if (event.session === id && event.type === 'session.terminated') this.#reach();
    });
    this.#reached = false;
    if (source.terminated(id)) this.#reach();
  }

  /** Whether the session has ended; every event of it up to its end is in the store by then. */
  get ended(): boolean {
    return this.#reached;
  }

  close(): void {
    this.#unsubscribe();
  }

  #reach(): void {
    this.#reached = true;
    this.#unsubscribe();
    this.#resolve();
  }
}
