import { SessiondError } from '../contract/errors.js';

/** What can make a store file unusable; each maps to one piece of advice. */
export type StoreProblem = 'not_a_database' | 'corrupt' | 'newer_version' | 'migration_failed' | 'unreadable';

/**
 * The store file cannot be used as it is. A SessiondError (code `internal`: the contract's
 * codes are for requests, and this stops the daemon) that names the file and the problem,
 * so the daemon can print it and exit rather than touch the data.
 */
export class StoreError extends SessiondError {
  constructor(
    readonly file: string,
    readonly problem: StoreProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('internal', message, options);
  }
}

// Moving the file without its -wal would let a fresh store replay the old log: name all three.
function moveAside(file: string): string {
  return `move ${file} aside (with ${file}-wal and ${file}-shm if present), then start sessiond again: it creates an empty store`;
}

export function notADatabase(file: string, cause: unknown): StoreError {
  return new StoreError(file, 'not_a_database', `sessiond store ${file} is not a SQLite database; ${moveAside(file)}`, { cause });
}

export function corrupt(file: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    file,
    'corrupt',
    `sessiond store ${file} is corrupt (${detail}); ${moveAside(file)} (sqlite3's .recover may rescue data from the moved file)`,
    { cause },
  );
}

export function newerVersion(file: string, found: number, known: number): StoreError {
  return new StoreError(
    file,
    'newer_version',
    `sessiond store ${file} has schema version ${found}, newer than this sessiond knows (${known}): ` +
      `run the newer sessiond, or ${moveAside(file)}`,
  );
}

export function migrationFailed(file: string, version: number, cause: unknown): StoreError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new StoreError(
    file,
    'migration_failed',
    `sessiond store ${file}: upgrading the schema to version ${version} failed (${why}); it stays at version ${version - 1}. ` +
      `Run the sessiond that wrote it, or ${moveAside(file)}`,
    { cause },
  );
}

export function unreadable(file: string, cause: unknown): StoreError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new StoreError(file, 'unreadable', `sessiond store ${file} cannot be opened (${why}); check its path and permissions`, { cause });
}
