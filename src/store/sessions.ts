import type Database from 'better-sqlite3';
import { SessiondError } from '../contract/errors.js';
import type { ChildStatus, ExitInfo, SessionStatus } from '../contract/session.js';
import type { SessionSpec } from '../contract/spec.js';

/** A child as the store keeps it: the contract's ChildInfo plus the start time that pins its pid. */
export interface ChildRecord {
  readonly name: string;
  readonly pid: number | null;
  /** /proc start time (clock ticks since boot) of `pid`: pid and start time name one process. */
  readonly startTime: number | null;
  readonly status: ChildStatus;
  readonly restarts: number;
  readonly lastExit: ExitInfo | null;
  /** Absent in records of older versions. */
  readonly nextRestartAt?: string | null;
}

/** One row of the sessions table: everything needed to show a session or bring it back. */
export interface SessionRecord {
  readonly id: string;
  readonly spec: SessionSpec;
  readonly status: SessionStatus;
  readonly error: string | null;
  readonly restarts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly supervisorPid: number | null;
  readonly supervisorStartTime: number | null;
  readonly children: readonly ChildRecord[];
}

interface SessionRow {
  id: string;
  status: SessionStatus;
  spec: string;
  error: string | null;
  restarts: number;
  created_at: string;
  updated_at: string;
  supervisor_pid: number | null;
  supervisor_start_time: number | null;
  children: string;
}

const COLUMNS = 'id, status, spec, error, restarts, created_at, updated_at, supervisor_pid, supervisor_start_time, children';

/** The sessions table: one row per session id, upserted whole. */
export class SessionTable {
  private readonly selectOne: Database.Statement<[string], SessionRow>;
  private readonly selectAll: Database.Statement<[], SessionRow>;
  private readonly selectLive: Database.Statement<[], SessionRow>;
  private readonly selectResurrectable: Database.Statement<[], SessionRow>;
  private readonly upsert: Database.Statement<[SessionRow]>;
  private readonly createTx: Database.Transaction<(record: SessionRecord) => void>;

  constructor(db: Database.Database) {
    const select = `SELECT ${COLUMNS} FROM sessions`;
    const order = 'ORDER BY created_at, id';
    this.selectOne = db.prepare(`${select} WHERE id = ?`);
    this.selectAll = db.prepare(`${select} ${order}`);
    this.selectLive = db.prepare(`${select} WHERE status != 'terminated' ${order}`);
    // `initializing` too: a resurrection writes that status first, so a daemon that dies while
    // bringing sessions back must not lose them; a create cut short by a crash comes back as
    // well (the user can terminate it), since losing a session is the worse mistake.
    this.selectResurrectable = db.prepare(`${select} WHERE status IN ('initializing', 'active', 'idle', 'paused') ${order}`);
    this.upsert = db.prepare(
      `INSERT INTO sessions (${COLUMNS})
       VALUES (@id, @status, @spec, @error, @restarts, @created_at, @updated_at, @supervisor_pid, @supervisor_start_time, @children)
       ON CONFLICT (id) DO UPDATE SET
         status = excluded.status, spec = excluded.spec, error = excluded.error, restarts = excluded.restarts,
         created_at = excluded.created_at, updated_at = excluded.updated_at, supervisor_pid = excluded.supervisor_pid,
         supervisor_start_time = excluded.supervisor_start_time, children = excluded.children`,
    );
    // The check and the write in one transaction, so two creates of one id cannot both win.
    this.createTx = db.transaction((record: SessionRecord) => {
      const existing = this.selectOne.get(record.id);
      if (existing && existing.status !== 'terminated') {
        throw new SessiondError(
          'already_exists',
          `session ${record.id} already exists and is ${existing.status}: terminate it first, or choose another id`,
        );
      }
      this.put(record);
    });
  }

  get(id: string): SessionRecord | null {
    const row = this.selectOne.get(id);
    return row ? fromRow(row) : null;
  }

  /** Sessions not yet terminated, oldest first; `all` adds the terminated ones. */
  list(options: { all?: boolean } = {}): SessionRecord[] {
    return (options.all ? this.selectAll : this.selectLive).all().map(fromRow);
  }

  /** Sessions a starting daemon brings back: initializing, active, idle or paused (which comes back paused). */
  listResurrectable(): SessionRecord[] {
    return this.selectResurrectable.all().map(fromRow);
  }

  /**
   * A new session: replaces a terminated record of that id (its events stay), refuses a live one.
   * The daemon writes records with `put` (the journal, with each event); this check is for tests and tools.
   */
  create(record: SessionRecord): void {
    this.createTx.immediate(record);
  }

  /** Writes the record whole, inserting or replacing the row of its id. */
  put(record: SessionRecord): void {
    if (record.spec.id !== record.id) {
      throw new SessiondError('internal', `session record ${record.id} holds the spec of ${record.spec.id}`);
    }
    this.upsert.run(toRow(record));
  }
}

function toRow(record: SessionRecord): SessionRow {
  return {
    id: record.id,
    status: record.status,
    spec: JSON.stringify(record.spec),
    error: record.error,
    restarts: record.restarts,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    supervisor_pid: record.supervisorPid,
    supervisor_start_time: record.supervisorStartTime,
    children: JSON.stringify(record.children),
  };
}

// Rows are only written by toRow, under CHECK constraints, so their JSON has the record's shape.
function fromRow(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    spec: JSON.parse(row.spec) as SessionSpec,
    status: row.status,
    error: row.error,
    restarts: row.restarts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    supervisorPid: row.supervisor_pid,
    supervisorStartTime: row.supervisor_start_time,
    children: JSON.parse(row.children) as ChildRecord[],
  };
}
