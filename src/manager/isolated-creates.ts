import { SessiondError } from '../contract/errors.js';
import { newSessionId } from '../contract/ids.js';
import { sessionLogDir } from '../contract/paths.js';
import { isLive } from '../contract/session.js';
import { childSpecInput, DEFAULTS, type ParsedSessionInput, type SessionSpec } from '../contract/spec.js';
import type { Isolation, IsolationRequest } from '../isolation/isolation.js';
import { assertUserCanRun } from '../isolation/user-access.js';
import { toChildSpec, toSessionSpec } from './session-input.js';
import type { SessionTable } from './session-table.js';
import { SupervisorPool, type Spare, type SpareInfo } from './supervisor-pool.js';

/** Starts a session's supervisor from a spec (and the spare it took, if any), and resolves once the session is ready. */
export type Launch = (spec: SessionSpec, spare: Spare | null) => Promise<void>;

/**
 * Creates of isolated sessions: a uid and a work dir first, from a spare made ready for them when
 * one fits, and nothing of it left when the create fails before its supervisor runs.
 */
export class IsolatedCreates {
  private pool: SupervisorPool | null = null;

  constructor(
    private readonly isolation: Isolation,
    private readonly table: SessionTable,
    private readonly spareSettings: { readonly warm: number; readonly supervisorsLog: string; readonly sessionsDir: string },
  ) {}

  // Its children run in its work dir unless the create gave a cwd.
  async create(input: ParsedSessionInput, request: NonNullable<IsolationRequest>, cwd: string | undefined, cwdGiven: boolean, launch: Launch): Promise<string> {
    // Spares are plain --isolate ones: a create of its own id, or with namespaces, starts cold.
    const spare = input.id === undefined && !request.readOnly && request.network ? this.spares().takeSpare() : null;
    const id = spare?.id ?? input.id ?? newSessionId();
    const existing = this.table.find(id);
    if (existing && isLive(existing.status)) throw new SessiondError('already_exists', `session ${id} already exists; terminate it first, or choose another id`);
    const isolation = spare ? this.isolation.claimSpare(id, request) : this.isolation.allocate(id, request);
    try {
      const spec = toSessionSpec({ ...input, id }, cwd, { childCwd: cwdGiven ? undefined : isolation.workDir, placeholder: this.isolation.runtime().placeholder });
      assertUserCanRun(spec, isolation);
      await launch({ ...spec, isolation }, spare);
    } catch (error) {
      // Never started (refused, or it failed before its supervisor ran): nothing of it is left.
      if (this.table.find(id)?.spec.isolation !== isolation) this.isolation.ended(isolation);
      throw error;
    }
    return id;
  }

  // Isolated spares start with the first isolated create (or the daemon, when isolation is its default).
  spares(): SupervisorPool {
    if (!this.pool) {
      const { warm, supervisorsLog, sessionsDir } = this.spareSettings;
      const placeholder = (id: string) => toChildSpec(childSpecInput.parse({ name: DEFAULTS.placeholderName, file: this.isolation.runtime().placeholder }), this.isolation.workDirOf(id));
      this.pool = new SupervisorPool(warm, supervisorsLog, placeholder, this.isolation.spareKind((id) => sessionLogDir(sessionsDir, id)));
    }
    return this.pool;
  }

  list(): SpareInfo[] {
    return this.pool?.list() ?? [];
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
