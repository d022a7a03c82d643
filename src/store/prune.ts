import type Database from 'better-sqlite3';

/** How much history is kept; the defaults are the issue's: 1000 terminated sessions, 7 days. */
export interface RetentionOptions {
  /** Terminated sessions kept, newest (by updatedAt) first. */
  readonly maxTerminated?: number;
  /** Terminated sessions, and events of sessions no longer stored, older than this go. */
  readonly maxAgeMs?: number;
  /** The clock, in ms since the epoch (tests move it). */
  readonly now?: () => number;
}

export const RETENTION_DEFAULTS = { maxTerminated: 1000, maxAgeMs: 7 * 24 * 3600_000 } as const;

export interface PruneResult {
  /** The ids of the sessions removed: their log folders can go too. */
  readonly sessions: string[];
  readonly events: number;
}

/** Removes old terminated sessions, then the events nobody can ask for by session any more. */
export class Pruner {
  private readonly run: (cutoff: string) => PruneResult;

  constructor(
    db: Database.Database,
    private readonly options: RetentionOptions = {},
  ) {
    const maxTerminated = options.maxTerminated ?? RETENTION_DEFAULTS.maxTerminated;
    // Timestamps are ISO 8601 in UTC (toISOString), so text order is time order.
    const sessions = db.prepare<{ cutoff: string; keep: number }, { id: string }>(
      `DELETE FROM sessions WHERE status = 'terminated' AND (updated_at < @cutoff OR id NOT IN (
         SELECT id FROM sessions WHERE status = 'terminated' ORDER BY updated_at DESC, id DESC LIMIT @keep))
       RETURNING id`,
    );
    // Events of a stored session stay whatever their age: `events --session` still shows them,
    // and so do a replaced session's old ones while its id is in use.
    const events = db.prepare<{ cutoff: string }>(
      'DELETE FROM events WHERE at < @cutoff AND session NOT IN (SELECT id FROM sessions)',
    );
    this.run = db.transaction((cutoff: string) => ({
      sessions: sessions.all({ cutoff, keep: maxTerminated }).map((row) => row.id).sort(),
      events: events.run({ cutoff }).changes,
    }));
  }

  prune(): PruneResult {
    const now = (this.options.now ?? Date.now)();
    const maxAgeMs = this.options.maxAgeMs ?? RETENTION_DEFAULTS.maxAgeMs;
    return this.run(new Date(now - maxAgeMs).toISOString());
  }
}
