import type Database from 'better-sqlite3';
import { EventLog } from './events.js';
import { openDatabase } from './open.js';
import { Pruner, type PruneResult, type RetentionOptions } from './prune.js';
import { SessionTable } from './sessions.js';

export { StoreError, type StoreProblem } from './errors.js';
export { SCHEMA_VERSION } from './migrations.js';
export { RETENTION_DEFAULTS, type PruneResult, type RetentionOptions } from './prune.js';
export type { ChildRecord, SessionRecord } from './sessions.js';
export type { EventLog } from './events.js';
export type { SessionTable } from './sessions.js';

export interface StoreOptions extends RetentionOptions {
  /** Prune once right after opening (default true). */
  readonly pruneOnOpen?: boolean;
}

/**
 * The embedded store: sessions and their events in one SQLite file. Synchronous, like
 * better-sqlite3: each call is one short transaction, done before the event loop moves on.
 */
export class Store {
  readonly sessions: SessionTable;
  readonly events: EventLog;
  private readonly pruner: Pruner;

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
    options: StoreOptions,
  ) {
    this.sessions = new SessionTable(db);
    this.events = new EventLog(db);
    this.pruner = new Pruner(db, options);
  }

  /** Opens or creates the store at `file`; throws StoreError when the file cannot be used. */
  static open(file: string, options: StoreOptions = {}): Store {
    const store = new Store(file, openDatabase(file), options);
    if (options.pruneOnOpen ?? true) store.prune();
    return store;
  }

  /**
   * Runs `fn` in one transaction (nested calls become savepoints): a session change and its
   * event are written together or not at all, even if the process is SIGKILLed. `fn` must be
   * synchronous; if it throws, nothing it wrote stays.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Removes terminated sessions past the retention limits; call on open and now and then. */
  prune(): PruneResult {
    return this.pruner.prune();
  }

  /** Closes the file (checkpointing the WAL into it); later calls do nothing. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
