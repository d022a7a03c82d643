import type Database from 'better-sqlite3';

/** One forward step of the schema; `up` runs inside a transaction with the version bump. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database.Database) => void;
}

// Append only: a released step never changes, since stores in the field already ran it.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sessions and events',
    up: (db) =>
      db.exec(`
        CREATE TABLE sessions (
          id                    TEXT PRIMARY KEY NOT NULL,
          status                TEXT NOT NULL
                                CHECK (status IN ('initializing', 'active', 'idle', 'terminating', 'terminated')),
          spec                  TEXT NOT NULL CHECK (json_valid(spec)),
          error                 TEXT,
          restarts              INTEGER NOT NULL DEFAULT 0,
          created_at            TEXT NOT NULL,
          updated_at            TEXT NOT NULL,
          supervisor_pid        INTEGER,
          supervisor_start_time INTEGER,
          children              TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(children))
        ) STRICT;
        CREATE INDEX sessions_by_status ON sessions (status, updated_at);

        -- AUTOINCREMENT, not a bare rowid: pruning may delete the newest events too, and a bare
        -- rowid would then hand out their seqs again; sqlite_sequence keeps the high-water mark
        -- in the same transaction as the insert.
        CREATE TABLE events (
          seq     INTEGER PRIMARY KEY AUTOINCREMENT,
          session TEXT NOT NULL,
          type    TEXT NOT NULL,
          at      TEXT NOT NULL,
          fields  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fields))
        ) STRICT;
        CREATE INDEX events_by_session ON events (session, seq);
      `),
  },
  {
    version: 2,
    description: 'sessions may be paused',
    // SQLite cannot change a CHECK in place: the table is rebuilt with the new list, rows kept.
    up: (db) =>
      db.exec(`
        CREATE TABLE sessions_v2 (
          id                    TEXT PRIMARY KEY NOT NULL,
          status                TEXT NOT NULL
                                CHECK (status IN ('initializing', 'active', 'idle', 'paused', 'terminating', 'terminated')),
          spec                  TEXT NOT NULL CHECK (json_valid(spec)),
          error                 TEXT,
          restarts              INTEGER NOT NULL DEFAULT 0,
          created_at            TEXT NOT NULL,
          updated_at            TEXT NOT NULL,
          supervisor_pid        INTEGER,
          supervisor_start_time INTEGER,
          children              TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(children))
        ) STRICT;
        INSERT INTO sessions_v2 SELECT * FROM sessions;
        DROP TABLE sessions;
        ALTER TABLE sessions_v2 RENAME TO sessions;
        CREATE INDEX sessions_by_status ON sessions (status, updated_at);
      `),
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
