import { mkdirSync } from 'node:fs';
import { SessiondError } from '../contract/errors.js';
import type { EventType, SessionEvent } from '../contract/events.js';
import { sessionLogDir, statePaths } from '../contract/paths.js';
import { isLive } from '../contract/session.js';
import { childSpecInput, DEFAULTS, type ParsedSessionInput, type SessionSpec } from '../contract/spec.js';
import { Isolation } from '../isolation/isolation.js';
import { entryPath } from '../process/entries.js';
import type { SessionRecord } from '../store/sessions.js';
import { admit, boundsOptions } from './admission.js';
import { IsolatedCreates } from './isolated-creates.js';
import type { SessionManagerOptions } from './manager-options.js';
import type { MessageLog, PublishedMessage } from './message-log.js';
import { toChildSpec, toSessionSpec, upgradeStoredSpec } from './session-input.js';
import { SessionRuntime, type RuntimeOptions } from './session-runtime.js';
import type { SessionTable } from './session-table.js';
import { DEFAULT_CONCURRENT_STARTS, StartGate } from './start-gate.js';
import { SpareGroups } from './spare-groups.js';
import { SupervisorPool, type Spare, type SpareInfo } from './supervisor-pool.js';
import { supervisorSettings, type SupervisorSettings } from './supervisor-settings.js';

/** What the launcher tells its manager's listeners. */
export interface LauncherEvents {
  event(event: SessionEvent): void;
  warning(message: string): void;
  debug(message: string): void;
}

type StartType = 'session.created' | 'session.resurrected';

/**
 * How a session comes to be: admitted before anything of it exists, given a supervisor (a whole
 * spare, a pooled supervisor, or an isolated one), driven by a SessionRuntime, and kept in the
 * table. The manager's creates, resurrections and shutdown go through here.
 */
export class SessionLauncher {
  private readonly runtime: {
    heartbeatMs: number;
    startTimeoutMs: number;
    idleTimeoutMs: number;
    sessionsDir: string;
    bounds: ReturnType<typeof boundsOptions>;
    supervisor: SupervisorSettings;
  };
  private readonly maxSessions: number;
  private readonly pool: SupervisorPool;
  private readonly isolation: Isolation;
  private readonly isolated: IsolatedCreates;
  private readonly gate: StartGate;
  private closed = false;

  constructor(
    options: SessionManagerOptions,
    private readonly table: SessionTable,
    private readonly messages: MessageLog,
    private readonly on: LauncherEvents,
  ) {
    const paths = statePaths(options.home);
    this.runtime = {
      heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
      startTimeoutMs: options.startTimeoutMs ?? DEFAULTS.startTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
      sessionsDir: paths.sessionsDir,
      bounds: boundsOptions(options),
      supervisor: supervisorSettings(options.logRotation),
    };
    this.maxSessions = options.maxSessions ?? Infinity;
    this.gate = new StartGate(options.concurrentStarts ?? DEFAULT_CONCURRENT_STARTS);
    mkdirSync(paths.sessionsDir, { recursive: true, mode: 0o700 });
    this.isolation = new Isolation(paths.home, paths.supervisorsLog, options.isolation ?? {}, this.runtime.supervisor.logRotation, (m) => this.on.warning(m));
    const placeholder = () => toChildSpec(childSpecInput.parse({ name: DEFAULTS.placeholderName, file: entryPath('placeholder') }), process.cwd());
    const warm = options.warmSupervisors ?? DEFAULTS.warm;
    this.pool = new SupervisorPool(warm, paths.supervisorsLog, placeholder, undefined, SpareGroups.for(this.runtime.bounds, (m) => this.on.warning(m)));
    this.isolated = new IsolatedCreates(this.isolation, table, { warm, supervisorsLog: paths.supervisorsLog, sessionsDir: paths.sessionsDir });
    if (options.isolation?.byDefault && process.geteuid?.() === 0) this.isolated.spares();
  }

  async create(input: ParsedSessionInput, cwd: string | undefined, cwdGiven: boolean): Promise<string> {
    const isolation = this.isolation.request(input);
    if (isolation) {
      this.assertOpen();
      return this.isolated.create(input, isolation, cwd, cwdGiven, (spec, spare) => this.launch(spec, 'session.created', undefined, spare));
    }
    const spec = toSessionSpec(input, cwd);
    // Admission first: a create refused (capacity, a limit the host cannot hold) costs no spare.
    this.admit(spec, 'session.created');
    // A session with no id of its own takes a whole spare: the spare's reserved id is its id.
    const spare = input.id === undefined ? this.pool.takeSpare() : null;
    const id = spare?.id ?? spec.id;
    await this.launch(spare ? { ...spec, id } : spec, 'session.created', undefined, spare);
    return id;
  }

  /** A session of an earlier manager, in new processes; an isolated one under its uid, in its work dir. */
  async resurrect(record: Pick<SessionRecord, 'spec' | 'createdAt'>): Promise<void> {
    const spec = upgradeStoredSpec(record.spec);
    // The runtime copy keeps its path: it is named by the state dir.
    const isolated = spec.isolation ? { ...spec, isolation: this.isolation.reclaim(spec.isolation) } : spec;
    await this.launch(isolated, 'session.resurrected', record.createdAt);
  }

  spares(): SpareInfo[] {
    return [...this.pool.list(), ...this.isolated.list()];
  }

  sweepWorkDirs(known: ReadonlySet<string>): void {
    this.isolation.sweep(known);
  }

  /** Starts nothing more, and terminates every session in parallel (`keepSessions`: their work dirs stay for the next daemon). */
  async shutdown(keepSessions: boolean): Promise<void> {
    this.closed = true;
    if (keepSessions) this.isolation.keepWorkDirs();
    await Promise.all([this.pool.close(), this.isolated.close(), ...this.table.all().map((s) => s.terminate())]);
    this.isolation.close();
  }

  private async launch(spec: SessionSpec, type: StartType, createdAt?: string, spare: Spare | null = null): Promise<void> {
    let spawned = false;
    const spawnSupervisor = () => {
      spawned = true;
      const { isolation } = spec;
      if (isolation && !spare) return { proc: this.isolation.spawn(isolation, sessionLogDir(this.runtime.sessionsDir, spec.id)), spawned: [] };
      return spare ? { proc: spare.proc, spawned: spare.placeholderPid === null ? [] : [spare.placeholderPid], group: spare.group, startTimes: spare.startTimes } : { ...this.pool.take(), spawned: [] };
    };
    try {
      await this.start(spec, type, spawnSupervisor, createdAt);
    } finally {
      // A spare taken by a session that never started (refused, or terminated while it waited) goes.
      if (spare && !spawned) (spec.isolation ? this.isolated.spares() : this.pool).discard(spare);
    }
  }

  private async start(spec: SessionSpec, type: StartType, spawnSupervisor: RuntimeOptions['spawnSupervisor'], createdAt?: string): Promise<void> {
    this.admit(spec, type);
    const emit = (type: EventType, fields: Record<string, unknown> = {}) => {
      // Before the event is out: whoever reads it finds the session's uid free of processes and its work dir gone.
      if (type === 'session.terminated') this.isolation.ended(spec.isolation);
      this.on.event({ ...fields, at: new Date().toISOString(), session: spec.id, type });
      if (type === 'session.terminated') this.table.forgetOldTerminated();
    };
    const warn = (message: string) => this.on.warning(message);
    const debug = (message: string) => this.on.debug(message);
    const fresh = type === 'session.created';
    if (fresh) this.messages.forget(spec.id);
    const publish = (message: PublishedMessage) => this.messages.add(message);
    const supervisor = spec.isolation ? this.isolation.supervisorSettings(this.runtime.supervisor) : this.runtime.supervisor;
    const session = new SessionRuntime(spec, { ...this.runtime, supervisor, fresh, emit, publish, warn, debug, spawnSupervisor, ...(createdAt ? { createdAt } : {}) });
    this.table.add(session); // last: the table stays in order of creation
    emit(type, { children: spec.children.map((c) => c.name) });
    await this.gate.run(() => session.start());
  }

  // Refused before anything exists: no event, no record, no process, no spare (a resurrection is never refused for capacity).
  private admit(spec: SessionSpec, type: StartType): void {
    this.assertOpen();
    const existing = this.table.find(spec.id);
    if (existing && isLive(existing.status)) {
      throw new SessiondError('already_exists', `session ${spec.id} already exists (${existing.status}); terminate it first, or choose another id`);
    }
    admit(spec, this.runtime.bounds.cgroups, type === 'session.created' ? { live: this.table.liveCount(), max: this.maxSessions } : null);
  }

  private assertOpen(): void {
    if (this.closed) throw new SessiondError('daemon_unavailable', 'sessiond is shutting down: start it again to create sessions');
  }
}
