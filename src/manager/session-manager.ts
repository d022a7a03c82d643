import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { ToSupervisor } from '../ipc/supervisor-messages.js';
import { mkdirSync } from 'node:fs';
import { notFound, SessiondError } from '../contract/errors.js';
import type { EventType, SessionEvent } from '../contract/events.js';
import { isValidSessionId, registryKey } from '../contract/ids.js';
import { isLive, type SessionInfo } from '../contract/session.js';
import { childSpecInput, DEFAULTS, parseOrThrow, sessionSpecInput, type ChildSpecInput, type ParsedSessionInput, type SessionSpec, type SessionSpecInput } from '../contract/spec.js';
import { statePaths } from '../contract/paths.js';
import { toSignal } from '../contract/signals.js';
import type { SessionRecord } from '../store/sessions.js';
import { MAX_MESSAGE_BYTES } from '../supervisor/publish.js';
import { MessageLog, type PublishedMessage } from './message-log.js';
import { sessionCwd, toChildSpec, toSessionSpec, upgradeStoredSpec } from './session-input.js';
import { SessionRuntime, type RuntimeOptions } from './session-runtime.js';
import { supervisorSettings, type SupervisorSettings } from './supervisor-settings.js';
import type { LogRotation } from '../logs/child-log.js';
import { DEFAULT_CONCURRENT_STARTS, StartGate } from './start-gate.js';
import { SpareGroups } from './spare-groups.js';
import { SupervisorPool, type Spare, type SpareInfo } from './supervisor-pool.js';
import { entryPath } from '../process/entries.js';
import { killProcess } from '../process/stop.js';
import { NO_STATS, StatsSampler } from './stats.js';
import type { CgroupSupport } from '../cgroup/index.js';
import { admit, boundsOptions } from './admission.js';
import { Isolation, type IsolationOptions, type IsolationRequest } from '../isolation/isolation.js';
import { assertUserCanRun } from '../isolation/user-access.js';
import { newSessionId } from '../contract/ids.js';
import { sessionLogDir } from '../contract/paths.js';

export interface SessionManagerOptions {
  /** State directory; its `logs/` receives every child's output. Default: the contract's. */
  readonly home?: string;
  readonly heartbeatMs?: number;
  readonly startTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
  /**
   * Spare sessions kept started ahead of need (default 1; 0: none): a supervisor with its
   * Placeholder loaded, waiting for a session. A create with no children takes a whole spare
   * (milliseconds); one with children of its own takes its supervisor (one Node start-up less).
   */
  readonly warmSupervisors?: number;
  /** Sessions starting at once; more wait their turn, initializing (default: twice the cores, 4 at least). */
  readonly concurrentStarts?: number;
  /** Terminated sessions kept in memory for info and list --all, oldest dropped first (default 100). */
  readonly keepTerminated?: number;
  /** What cgroups the host offers (detectCgroups; the daemon detects them): none by default, and memoryMax is then watched. */
  readonly cgroups?: CgroupSupport;
  /** Put every session in a cgroup of its own, limits or not (default true where there are cgroups). */
  readonly cgroupEverySession?: boolean;
  /** A create past this many sessions not yet terminated fails with code capacity (default: no limit). */
  readonly maxSessions?: number;
  /** How each child's log rotates: past `maxBytes` (default 5 MiB), keeping `files` rotated files (default 3). */
  readonly logRotation?: Partial<LogRotation>;
  /** Isolated sessions: whether they are the default (`sessiond --isolate`), their uid range, where their files go. */
  readonly isolation?: IsolationOptions;
}

export type CreateSessionInput = SessionSpecInput;
export type NotFound = 'not_found';

/**
 * The in-process API of sessiond: one supervisor process per session, the registry
 * `session_supervisor:<id>`, and the contract's events (`manager.on('event', e => …)`).
 */
export class SessionManager extends EventEmitter<{ event: [SessionEvent]; warning: [string]; debug: [string] }> {
  private readonly sessions = new Map<string, SessionRuntime>();
  /** What children published: the last 1000 of each session, in memory only. */
  readonly messages = new MessageLog();
  private readonly runtime: {
    heartbeatMs: number;
    startTimeoutMs: number;
    idleTimeoutMs: number;
    sessionsDir: string;
    bounds: ReturnType<typeof boundsOptions>;
    supervisor: SupervisorSettings;
  };
  private readonly maxSessions: number;
  private readonly keepTerminated: number;
  private readonly pool: SupervisorPool;
  private isoPool: SupervisorPool | null = null;
  private readonly warm: number;
  private readonly supervisorsLog: string;
  private readonly isolation: Isolation;
  private closed = false;
  private readonly gate: StartGate;
  private readonly stats = new StatsSampler<SessionRuntime>((session) => session.pids(), (session) => session.cgroupStats());

  constructor(options: SessionManagerOptions = {}) {
    super();
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
    this.keepTerminated = options.keepTerminated ?? 100;
    this.gate = new StartGate(options.concurrentStarts ?? DEFAULT_CONCURRENT_STARTS);
    mkdirSync(paths.sessionsDir, { recursive: true, mode: 0o700 });
    this.isolation = new Isolation(paths.home, paths.supervisorsLog, options.isolation ?? {}, this.runtime.supervisor.logRotation, (m) => this.emit('warning', m));
    const placeholder = () => toChildSpec(childSpecInput.parse({ name: DEFAULTS.placeholderName, file: entryPath('placeholder') }), process.cwd());
    this.warm = options.warmSupervisors ?? DEFAULTS.warm;
    this.supervisorsLog = paths.supervisorsLog;
    this.pool = new SupervisorPool(this.warm, paths.supervisorsLog, placeholder, undefined, SpareGroups.for(this.runtime.bounds, (m) => this.emit('warning', m)));
    if (options.isolation?.byDefault && process.geteuid?.() === 0) this.isolatedSpares();
  }

  /** Starts a session and resolves with its id once every child is ready. */
  async createSession(input: CreateSessionInput = {}, cwd?: string): Promise<string> {
    return this.createParsed(parseOrThrow(sessionSpecInput, input, 'session spec'), cwd);
  }

  /** As createSession, for input its caller has already parsed (the control socket does at its edge). */
  async createParsed(input: ParsedSessionInput, cwd?: string, cwdGiven = cwd !== undefined): Promise<string> {
    const isolation = this.isolation.request(input);
    if (isolation) return this.createIsolated(input, isolation, cwd, cwdGiven);
    const spec = toSessionSpec(input, cwd);
    // Admission first: a create refused (capacity, a limit the host cannot hold) costs no spare.
    this.admit(spec, 'session.created');
    // A session with no id of its own takes a whole spare: the spare's reserved id is its id.
    const spare = input.id === undefined ? this.pool.takeSpare() : null;
    const id = spare?.id ?? spec.id;
    await this.launch(spare ? { ...spec, id } : spec, 'session.created', undefined, spare);
    return id;
  }

  // A uid and a work dir first: its children run there unless the create gave a cwd.
  private async createIsolated(input: ParsedSessionInput, request: NonNullable<IsolationRequest>, cwd: string | undefined, cwdGiven: boolean): Promise<string> {
    if (this.closed) throw new SessiondError('daemon_unavailable', 'sessiond is shutting down: start it again to create sessions');
    // Spares are plain --isolate ones: a create of its own id, or with namespaces, starts cold.
    const spare = input.id === undefined && !request.readOnly && request.network ? this.isolatedSpares().takeSpare() : null;
    const id = spare?.id ?? input.id ?? newSessionId();
    if (this.sessions.get(id) && isLive(this.sessions.get(id)!.status)) throw new SessiondError('already_exists', `session ${id} already exists; terminate it first, or choose another id`);
    const isolation = spare ? this.isolation.claimSpare(id, request) : this.isolation.allocate(id, request);
    try {
      const spec = toSessionSpec({ ...input, id }, cwd, { childCwd: cwdGiven ? undefined : isolation.workDir, placeholder: this.isolation.runtime().placeholder });
      assertUserCanRun(spec, isolation);
      await this.launch({ ...spec, isolation }, 'session.created', undefined, spare);
    } catch (error) {
      // Never started (refused, or it failed before its supervisor ran): nothing of it is left.
      if (!this.sessions.has(id) || this.sessions.get(id)!.spec.isolation !== isolation) this.isolation.ended(isolation);
      throw error;
    }
    return id;
  }

  /** The spares started ahead of need (they belong to no session). */
  spares(): SpareInfo[] {
    return [...this.pool.list(), ...(this.isoPool?.list() ?? [])];
  }

  // Isolated spares start with the first isolated create (or the daemon, when isolation is its default).
  private isolatedSpares(): SupervisorPool {
    if (!this.isoPool) {
      const placeholder = (id: string) => toChildSpec(childSpecInput.parse({ name: DEFAULTS.placeholderName, file: this.isolation.runtime().placeholder }), this.isolation.workDirOf(id));
      const kind = this.isolation.spareKind((id) => sessionLogDir(this.runtime.sessionsDir, id));
      this.isoPool = new SupervisorPool(this.warm, this.supervisorsLog, placeholder, kind);
    }
    return this.isoPool;
  }

  /**
   * Brings back a session of an earlier manager (same id, spec and creation time) in new
   * processes. Stop what is left of its old processes first (see stopLeftovers).
   */
  async resurrectSession(record: Pick<SessionRecord, 'spec' | 'createdAt'> & { readonly status?: SessionRecord['status'] }): Promise<string> {
    const spec = upgradeStoredSpec(record.spec);
    // An isolated session comes back under its uid, in its work dir (the runtime copy keeps its path: it is named by the state dir).
    const isolated = spec.isolation ? { ...spec, isolation: this.isolation.reclaim(spec.isolation) } : spec;
    await this.launch(isolated, 'session.resurrected', record.createdAt);
    // A session paused when its daemon went comes back paused, once its new processes are up.
    if (record.status === 'paused') await this.pauseSession(record.spec.id);
    return record.spec.id;
  }

  /** Removes the work dirs of isolated sessions that are not in `known` (spares of a daemon that died), with whatever their uids still run. */
  sweepWorkDirs(known: ReadonlySet<string>): void {
    this.isolation.sweep(known);
  }

  /** Stops every process of the session (the cgroup freezer, else SIGSTOP); its heartbeats and idle clock wait. */
  async pauseSession(id: string): Promise<void> {
    await this.session(id).pause();
  }

  /** Continues a paused session. */
  async resumeSession(id: string): Promise<void> {
    await this.session(id).resume();
  }

  /** Whether the manager holds the session (live, or terminated and not yet forgotten). */
  has(id: string): boolean {
    return this.sessions.has(id);
  }

  /** Hands a client's exec or attach connection to the session's supervisor (src/exec). */
  handOver(id: string, message: Extract<ToSupervisor, { type: 'exec' | 'attach' }>, socket: Socket): Promise<void> {
    return this.session(id).handOver(message, socket);
  }

  /** What the store keeps of a session. */
  record(id: string): SessionRecord {
    return this.session(id).record();
  }

  /** Stops every process of the session, grandchildren included, and resolves once all are gone. */
  async terminateSession(id: string): Promise<void> {
    await this.session(id).terminate();
  }

  /** Sessions not yet terminated; with `all`, the terminated ones too. */
  async listSessions(options: { all?: boolean } = {}): Promise<SessionInfo[]> {
    const sessions = [...this.sessions.values()].filter((s) => options.all || isLive(s.status));
    const stats = await this.stats.of(sessions);
    return sessions.map((s) => s.info(stats.get(s) ?? NO_STATS));
  }

  async getSessionInfo(id: string): Promise<SessionInfo> {
    const session = this.session(id);
    return session.info((await this.stats.of([session])).get(session) ?? NO_STATS);
  }

  getSessionPid(id: string): number | NotFound {
    return this.sessions.get(id)?.supervisorPid() ?? 'not_found';
  }

  findSupervisor(id: string): number | NotFound {
    return this.getSessionPid(id);
  }

  getLlmAgentPid(id: string): number | NotFound {
    return this.sessions.get(id)?.childPid('llm_agent') ?? 'not_found';
  }

  registryKey(id: string): string {
    if (!isValidSessionId(id)) throw new SessiondError('invalid_params', `invalid session id ${JSON.stringify(id)}`);
    return registryKey(id);
  }

  /** Starts one more child in a running session, after the others (it stops first); resolves once it is ready. Its relative `file` and `cwd` resolve against `cwd` (default: the session's cwd); without a cwd of its own it runs in the session's. */
  async addChild(id: string, input: ChildSpecInput, cwd?: string): Promise<void> {
    const parsed = parseOrThrow(childSpecInput, input, 'child spec');
    const session = this.session(id);
    // Relative paths are the caller's; the child runs where the session's children run (an isolated
    // session's work dir, its create --cwd, else its creating client's), never in the caller's directory.
    // A session stored before its cwd was kept, with no child left: the caller's is all there is.
    const runDir = sessionCwd(session.spec) ?? cwd;
    if (runDir === undefined) throw new SessiondError('invalid_params', `session ${id} has no working directory of its own: give the child a "cwd"`);
    const child = toChildSpec(parsed, cwd ?? runDir, runDir);
    // An isolated session's user must be able to run it.
    const isolation = session.spec.isolation;
    if (isolation) assertUserCanRun({ ...session.spec, children: [child] }, isolation);
    await session.addChild(child);
  }

  /** Stops a child as a terminate would; it keeps its spec and stays stopped until restarted. */
  async stopChild(id: string, name: string): Promise<void> {
    await this.session(id).stopChild(name);
  }

  /** Starts a stopped child, or stops and starts a running one; counts toward no intensity. */
  async restartChild(id: string, name: string): Promise<void> {
    await this.session(id).restartChild(name);
  }

  /** Forgets a stopped child; a running one is refused (code `running`). */
  async removeChild(id: string, name: string): Promise<void> {
    await this.session(id).removeChild(name);
  }

  /** Restarts every child of the session in start order, counting toward no intensity. */
  async restartSession(id: string): Promise<void> {
    await this.session(id).restartAll();
  }

  /**
   * Sends JSON to a Node child (default: the session's first) and resolves with its reply, what its
   * onMessage handler returned; rejects with child_error (it threw), timeout, not_supported (a
   * command child) or not_running.
   */
  async send(id: string, body: unknown, options: { child?: string; timeoutMs?: number } = {}): Promise<unknown> {
    const size = Buffer.byteLength(JSON.stringify(body ?? null));
    if (size > MAX_MESSAGE_BYTES) throw new SessiondError('invalid_params', `message is ${size} bytes; at most 1 MiB may be sent`);
    return this.session(id).send(options.child, body ?? null, options.timeoutMs ?? DEFAULTS.sendTimeoutMs);
  }

  /** Fault injection: signals the supervisor, or the child named `child`; returns the pid hit. */
  kill(id: string, target: { child?: string } = {}, signal: NodeJS.Signals = 'SIGKILL'): number {
    return this.session(id).kill(target, toSignal(signal));
  }

  /**
   * Terminates every session in parallel; the manager starts no session after this. `keepSessions`
   * (a daemon restart): the next daemon brings them back, so isolated sessions keep their work dirs.
   */
  async shutdown(options: { keepSessions?: boolean } = {}): Promise<void> {
    this.closed = true;
    if (options.keepSessions) this.isolation.keepWorkDirs();
    await Promise.all([this.pool.close(), this.isoPool?.close(), ...[...this.sessions.values()].map((s) => s.terminate())]);
    this.isolation.close();
  }

  private async launch(spec: SessionSpec, type: 'session.created' | 'session.resurrected', createdAt?: string, spare: Spare | null = null): Promise<void> {
    let spawned = false;
    const spawnSupervisor = () => {
      spawned = true;
      const { isolation } = spec;
      if (isolation && !spare) return { proc: this.isolation.spawn(isolation, sessionLogDir(this.runtime.sessionsDir, spec.id)), spawned: [] };
      return spare ? { proc: spare.proc, spawned: spare.placeholderPid === null ? [] : [spare.placeholderPid], group: spare.group } : { ...this.pool.take(), spawned: [] };
    };
    try {
      await this.start(spec, type, spawnSupervisor, createdAt);
    } finally {
      // A spare taken by a session that never started (refused, or terminated while it waited) goes.
      if (spare && !spawned) (spec.isolation ? this.isolatedSpares() : this.pool).discard(spare);
    }
  }

  private async start(spec: SessionSpec, type: 'session.created' | 'session.resurrected', spawnSupervisor: RuntimeOptions['spawnSupervisor'], createdAt?: string): Promise<void> {
    this.admit(spec, type);
    const emit = (type: EventType, fields: Record<string, unknown> = {}) => {
      // Before the event is out: whoever reads it finds the session's uid free of processes and its work dir gone.
      if (type === 'session.terminated') this.isolation.ended(spec.isolation);
      this.emit('event', { ...fields, at: new Date().toISOString(), session: spec.id, type });
      if (type === 'session.terminated') this.forgetOldTerminated();
    };
    const warn = (message: string) => this.emit('warning', message);
    const debug = (message: string) => this.emit('debug', message);
    const fresh = type === 'session.created';
    if (fresh) this.messages.forget(spec.id);
    const publish = (message: PublishedMessage) => this.messages.add(message);
    const supervisor = spec.isolation ? this.isolation.supervisorSettings(this.runtime.supervisor) : this.runtime.supervisor;
    const session = new SessionRuntime(spec, { ...this.runtime, supervisor, fresh, emit, publish, warn, debug, spawnSupervisor, ...(createdAt ? { createdAt } : {}) });
    this.sessions.delete(spec.id); // re-inserted last: the map stays in order of creation
    this.sessions.set(spec.id, session);
    emit(type, { children: spec.children.map((c) => c.name) });
    await this.gate.run(() => session.start());
  }

  // Refused before anything exists: no event, no record, no process, no spare (a resurrection is never refused for capacity).
  private admit(spec: SessionSpec, type: 'session.created' | 'session.resurrected'): void {
    if (this.closed) throw new SessiondError('daemon_unavailable', 'sessiond is shutting down: start it again to create sessions');
    const existing = this.sessions.get(spec.id);
    if (existing && isLive(existing.status)) {
      throw new SessiondError('already_exists', `session ${spec.id} already exists (${existing.status}); terminate it first, or choose another id`);
    }
    admit(spec, this.runtime.bounds.cgroups, type === 'session.created' ? { live: this.liveCount(), max: this.maxSessions } : null);
  }

  private liveCount(): number {
    return [...this.sessions.values()].filter((s) => isLive(s.status)).length;
  }

  private forgetOldTerminated(): void {
    const terminated = [...this.sessions.values()].filter((s) => !isLive(s.status));
    for (const session of terminated.slice(0, Math.max(0, terminated.length - this.keepTerminated))) {
      this.sessions.delete(session.spec.id);
    }
  }

  private session(id: string): SessionRuntime {
    const session = this.sessions.get(id);
    if (!session) throw notFound(id);
    return session;
  }

}
