// An exec's events (exec.started, exec.exited) change nothing of their session: the journal writes
// them without rewriting the session's record (src/daemon/journal.ts). Counted on the daemon's own
// database by a trigger on the sessions table, which a change of the session (its terminate) must fire.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { waitFor } from '../helpers/proc.js';
import { sessionWithClient } from '../exec/harness.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

it("writes an exec's events without rewriting its session's record", async () => {
  const session = await sessionWithClient('records');
  close = session.close;
  const db = new Database(join(session.h.home, 'state.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE record_writes (id TEXT);
      CREATE TRIGGER record_written AFTER UPDATE ON sessions BEGIN INSERT INTO record_writes VALUES (new.id); END;`);
    const writes = () => (db.prepare('SELECT count(*) AS n FROM record_writes').get() as { n: number }).n;
    for (let i = 0; i < 5; i++) expect((await session.client.exec('records', ['true'])).code).toBe(0);
    await waitFor(async () => (await session.events()).filter((e) => e.type === 'exec.exited').length === 5, 'five exec.exited events');
    expect(writes()).toBe(0);
    // The trigger counts: a change of the session rewrites its record.
    await session.client.terminateSession('records');
    await waitFor(() => writes() > 0, 'the terminated session’s record written');
  } finally {
    db.close();
  }
});
