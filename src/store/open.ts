import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { corrupt, migrationFailed, newerVersion, notADatabase, StoreError, unreadable } from './errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';

/** How long a statement waits for a lock held by another connection before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (or creates) the SQLite file, checks that it is sound, and brings its schema up to
 * date. Throws a StoreError that names the file for anything it cannot use: never drops,
 * recreates or rewrites data it does not understand.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Database.Database {
  let db: Database.Database;
  try {
    // The specs hold llmConfig secrets: the file is 0600 from its first byte, and SQLite gives
    // the -wal and -shm files it creates later the mode of the database file.
    if (file !== ':memory:') closeSync(openSync(file, 'a', 0o600));
    db = new Database(file);
  } catch (error) {
    throw classify(file, error);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // The first read of the header: garbage fails here with SQLITE_NOTADB.
    const version = userVersion(db);
    checkIntegrity(db, file);
    const known = migrations[migrations.length - 1]?.version ?? 0;
    if (version > known) throw newerVersion(file, version, known);
    // WAL: readers (a CLI, a test) never block the daemon's writes, and a commit is one append.
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode fsyncs only at checkpoints: a killed process (even SIGKILL) loses no
    // committed transaction, since commits sit in the OS page cache; only an OS crash or power
    // loss may lose the last few, never the file's consistency. FULL would fsync every event.
    db.pragma('synchronous = NORMAL');
    migrate(db, file, migrations);
    // An older file may have been made with another mode; its -wal and -shm follow it.
    if (file !== ':memory:') for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
    return db;
  } catch (error) {
    db.close();
    throw classify(file, error);
  }
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

// quick_check reads every page (not indexes against tables): a truncated file shows here.
function checkIntegrity(db: Database.Database, file: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
  if (problems.length > 0) throw corrupt(file, `quick_check: ${problems.slice(0, 3).join('; ')}`);
}

// Each step in its own IMMEDIATE transaction with its user_version bump: a crash mid-way
// leaves the store at the last complete version, and the next open resumes from there.
function migrate(db: Database.Database, file: string, migrations: readonly Migration[]): void {
  for (const step of migrations) {
    const apply = db.transaction(() => {
      if (userVersion(db) >= step.version) return;
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    });
    try {
      apply.immediate();
    } catch (error) {
      throw migrationFailed(file, step.version, error);
    }
  }
}

// SQLite reports the same trouble under several codes; map them to what the user can do.
function classify(file: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB') return notADatabase(file, error);
  if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) {
    return corrupt(file, error instanceof Error ? error.message : String(code), error);
  }
  return unreadable(file, error);
}
