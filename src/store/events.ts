import type Database from 'better-sqlite3';
import type { EventType, SessionEvent, StoredEvent } from '../contract/events.js';

interface EventRow {
  seq: number;
  at: string;
  session: string;
  type: EventType;
  fields: string;
}

type InsertParams = Omit<EventRow, 'seq'>;

/** The stored events (daemon/journal.ts writes them): every event once, in `seq` order, seq 1 first, never reused. */
export class EventLog {
  private readonly insert: Database.Statement<[InsertParams], { seq: number }>;
  private readonly selectSince: Database.Statement<[number, number], EventRow>;
  private readonly selectSessionSince: Database.Statement<[string, number, number], EventRow>;
  private readonly selectLastSeq: Database.Statement<[], { seq: number }>;
  private readonly selectOfType: Database.Statement<[string, EventType], { seq: number }>;
  private readonly selectNthLast: Database.Statement<[number], { seq: number }>;
  private readonly selectSessionNthLast: Database.Statement<[string, number], { seq: number }>;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO events (at, session, type, fields) VALUES (@at, @session, @type, @fields) RETURNING seq');
    this.selectSince = db.prepare('SELECT seq, at, session, type, fields FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    // A statement of its own rather than `(? IS NULL OR session = ?)`, which would keep SQLite
    // from using the (session, seq) index.
    this.selectSessionSince = db.prepare(
      'SELECT seq, at, session, type, fields FROM events WHERE session = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    // The high-water mark, not max(seq): it stays put when pruning deletes the newest events.
    this.selectLastSeq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'");
    this.selectOfType = db.prepare('SELECT seq FROM events WHERE session = ? AND type = ? LIMIT 1');
    this.selectNthLast = db.prepare('SELECT seq FROM events ORDER BY seq DESC LIMIT 1 OFFSET ?');
    this.selectSessionNthLast = db.prepare('SELECT seq FROM events WHERE session = ? ORDER BY seq DESC LIMIT 1 OFFSET ?');
  }

  /** Whether the session ever had an event of this type. */
  has(session: string, type: EventType): boolean {
    return this.selectOfType.get(session, type) !== undefined;
  }

  /** Persists the event and returns it with its seq: one more than the last ever handed out. */
  append(event: SessionEvent): StoredEvent {
    // `seq` is the store's to give, so one the caller left on the event is dropped.
    const { at, session, type, seq: _ignored, ...fields } = event;
    const row = this.insert.get({ at, session, type, fields: JSON.stringify(fields) });
    return { seq: row!.seq, at, session, type, ...fields };
  }

  /** Events after `seq`, oldest first: of one session if given, at most `limit` if given. */
  since(seq: number, options: { session?: string; limit?: number } = {}): StoredEvent[] {
    const limit = options.limit ?? -1; // SQLite: a negative LIMIT means none
    const rows =
      options.session === undefined
        ? this.selectSince.all(seq, limit)
        : this.selectSessionSince.all(options.session, seq, limit);
    return rows.map(fromRow);
  }

  /** The seq after which the last `count` events lie (of one session if given); 0 when there are fewer. */
  startOfLast(count: number, options: { session?: string } = {}): number {
    if (count === 0) return this.lastSeq();
    const row = options.session === undefined ? this.selectNthLast.get(count - 1) : this.selectSessionNthLast.get(options.session, count - 1);
    return row === undefined ? 0 : row.seq - 1;
  }

  /** The seq of the last event ever appended (0 before the first): `since(lastSeq())` is empty. */
  lastSeq(): number {
    return this.selectLastSeq.get()?.seq ?? 0;
  }
}

function fromRow(row: EventRow): StoredEvent {
  const fields = JSON.parse(row.fields) as Record<string, unknown>;
  return { seq: row.seq, at: row.at, session: row.session, type: row.type, ...fields };
}
