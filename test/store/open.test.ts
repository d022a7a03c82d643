import { statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessiondError } from '../../src/contract/errors.js';
import { MIGRATIONS, type Migration } from '../../src/store/migrations.js';
import { openDatabase } from '../../src/store/open.js';
import { SCHEMA_VERSION, Store, StoreError, type StoreProblem } from '../../src/store/index.js';
import { tempHome } from '../helpers/proc.js';
import { recordFor } from './helpers.js';

/** Opening `file` fails with a StoreError of `problem` whose message names the file and the fix. */
function expectUnusable(file: string, problem: StoreProblem, open: () => unknown = () => Store.open(file)): StoreError {
  let caught: unknown;
  try {
    (open() as { close?: () => void }).close?.();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(StoreError);
  expect(caught).toBeInstanceOf(SessiondError);
  const error = caught as StoreError;
  expect(error.problem).toBe(problem);
  expect(error.file).toBe(file);
  expect(error.message).toContain(`sessiond store ${file}`);
  return error;
}

describe('store: open', () => {
  let home: ReturnType<typeof tempHome>;
  let file: string;
  beforeEach(() => {
    home = tempHome();
    file = join(home.dir, 'state.db');
  });
  afterEach(() => home.cleanup());

  it('creates a WAL store at the current schema version, readable by its owner only', () => {
    Store.open(file).close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('refuses a store from a newer schema version, leaving it untouched', () => {
    Store.open(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const error = expectUnusable(file, 'newer_version');
    expect(error.message).toMatch(/schema version \d+, newer than this sessiond knows/);
    expect(error.message).toContain('move');
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    after.close();
  });

  it('refuses a file that is not a SQLite database, leaving it untouched', () => {
    const garbage = Buffer.from('this is not a database at all, just some bytes\n'.repeat(200));
    writeFileSync(file, garbage);
    const error = expectUnusable(file, 'not_a_database');
    expect(error.message).toContain('is not a SQLite database');
    expect(error.message).toContain(`move ${file} aside`);
    expect(statSync(file).size).toBe(garbage.length);
  });

  it('refuses a truncated store instead of crashing or starting afresh', () => {
    const store = Store.open(file);
    store.transaction(() => {
      for (let i = 0; i < 300; i++) {
        store.sessions.put(recordFor(`s${i}`));
        store.events.append({ at: new Date().toISOString(), session: `s${i}`, type: 'session.created', pad: 'x'.repeat(200) });
      }
    });
    store.close(); // checkpoints the WAL: everything is in the main file now
    const size = statSync(file).size;
    truncateSync(file, Math.floor(size / 2));
    const error = expectUnusable(file, 'corrupt');
    expect(error.message).toContain('is corrupt');
    expect(statSync(file).size).toBe(Math.floor(size / 2));
  });

  it('says so when the directory does not exist', () => {
    const missing = join(home.dir, 'nope', 'state.db');
    expect(expectUnusable(missing, 'unreadable').message).toContain('cannot be opened');
  });

  it('migrates forward, one transaction a step, keeping the data', () => {
    const store = Store.open(file);
    store.sessions.put(recordFor('kept'));
    store.close();
    const next: Migration = { version: SCHEMA_VERSION + 1, description: 'a column', up: (db) => db.exec('ALTER TABLE sessions ADD COLUMN note TEXT') };
    const db = openDatabase(file, [...MIGRATIONS, next]);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(db.prepare('SELECT id, note FROM sessions').all()).toEqual([{ id: 'kept', note: null }]);
    db.close();
  });

  it('version 2 lets sessions be paused and keeps the rows of version 1', () => {
    const v1 = openDatabase(file, MIGRATIONS.slice(0, 1));
    v1.prepare("INSERT INTO sessions (id, status, spec, created_at, updated_at) VALUES ('kept', 'active', ?, '2000-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z')").run(JSON.stringify(recordFor('kept').spec));
    expect(() => v1.prepare("UPDATE sessions SET status = 'paused'").run()).toThrow(/CHECK/);
    v1.close();
    const store = Store.open(file);
    store.sessions.put({ ...recordFor('resting'), status: 'paused' });
    expect(store.sessions.listResurrectable().map((r) => [r.id, r.status])).toEqual([['kept', 'active'], ['resting', 'paused']]);
    store.close();
  });

  it('rolls a failing step back whole and names it', () => {
    Store.open(file).close();
    const broken: Migration = {
      version: SCHEMA_VERSION + 1,
      description: 'half a change',
      up: (db) => db.exec("ALTER TABLE sessions ADD COLUMN note TEXT; SELECT no_such_function('x')"),
    };
    const error = expectUnusable(file, 'migration_failed', () => openDatabase(file, [...MIGRATIONS, broken]));
    expect(error.message).toContain(`to version ${SCHEMA_VERSION + 1} failed`);
    expect(error.message).toContain(`stays at version ${SCHEMA_VERSION}`);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').all('sessions')).not.toContainEqual({ name: 'note' });
    db.close();
    Store.open(file).close();
  });
});
