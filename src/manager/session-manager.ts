import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SessiondError } from '../contract/errors.js';
import type { SessionEvent } from '../contract/events.js';
import { isValidSessionId, registryKey } from '../contract/ids.js';
import { statePaths } from '../contract/paths.js';
import { isLive, type SessionInfo } from '../contract/session.js';
import { toSignal } from '../contract/signals.js';
import { childSpecInput, parseOrThrow, sessionSpecInput, type ChildSpecInput, type ParsedSessionInput, type SessionSpecInput } from '../contract/spec.js';
import { attachTo, execIn, spawnIn, type ChannelTarget, type ExecOptions, type ExecResult, type SpawnOptions } from '../exec/client-exec.js';
import type { HandOverMessage } from '../exec/exec-params.js';
import type { SessionProcess } from '../exec/remote-process.js';
import type { SessionRecord } from '../store/sessions.js';
import { childToAdd, messageToSend } from './child-admin.js';
import { handOverChannels } from './hand-over-channels.js';
import type { SessionManagerOptions } from './manager-options.js';
import { MessageLog } from './message-log.js';
import { SessionLauncher } from './session-launcher.js';
import type { SessionRuntime } from './session-runtime.js';
import { SessionTable } from './session-table.js';
import { NO_STATS, StatsSampler } from './stats.js';
import type { SpareInfo } from './supervisor-pool.js';

export type { SessionManagerOptions };
export type CreateSessionInput = SessionSpecInput;
export type NotFound = 'not_found';

/**
 * The in-process API of sessiond: one supervisor process per session, the registry
 * `session_supervisor:<id>`, and the contract's events (`manager.on('event', e => …)`).
 */
export class SessionManager extends EventEmitter<{ event: [SessionEvent]; warning: [string]; debug: [string] }> {
  /** What children published: the last 1000 of each session, in memory only. */
  readonly messages = new MessageLog();
  private readonly sessions: SessionTable;
  private readonly launcher: SessionLauncher;
  private readonly channels: ChannelTarget;
  private readonly stats = new StatsSampler<SessionRuntime>((session) => session.pids(), (session) => session.cgroupStats());

  constructor(options: SessionManagerOptions = {}) {
    super();
    this.sessions = new SessionTable(options.keepTerminated ?? 100);
    this.launcher = new SessionLauncher(options, this.sessions, this.messages, {
      event: (e) => this.emit('event', e),
      warning: (m) => this.emit('warning', m),
      debug: (m) => this.emit('debug', m),
    });
    this.channels = handOverChannels(statePaths(options.home).home, { spec: (id) => this.record(id).spec, handOver: (id, message, socket) => this.handOver(id, message, socket) });
  }

  /** Starts a session and resolves with its id once every child is ready. */
  async createSession(input: CreateSessionInput = {}, cwd?: string): Promise<string> {
    return this.createParsed(parseOrThrow(sessionSpecInput, input, 'session spec'), cwd);
  }

  /** As createSession, for input its caller has already parsed (the control socket does at its edge). */
  async createParsed(input: ParsedSessionInput, cwd?: string, cwdGiven = cwd !== undefined): Promise<string> {
    return this.launcher.create(input, cwd, cwdGiven);
  }

  /** The spares started ahead of need (they belong to no session). */
  spares(): SpareInfo[] {
    return this.launcher.spares();
  }

  /**
   * Brings back a session of an earlier manager (same id, spec and creation time) in new
   * processes. Stop what is left of its old processes first (see stopLeftovers).
   */
  async resurrectSession(record: Pick<SessionRecord, 'spec' | 'createdAt'> & { readonly status?: SessionRecord['status'] }): Promise<string> {
    await this.launcher.resurrect(record);
    // A session paused when its daemon went comes back paused, once its new processes are up.
    if (record.status === 'paused') await this.pauseSession(record.spec.id);
    return record.spec.id;
  }

  /** Removes the work dirs of isolated sessions that are not in `known` (spares of a daemon that died), with whatever their uids still run. */
  sweepWorkDirs(known: ReadonlySet<string>): void {
    this.launcher.sweepWorkDirs(known);
  }

  /** Stops every process of the session (the cgroup freezer, else SIGSTOP); its heartbeats and idle clock wait. */
  async pauseSession(id: string): Promise<void> {
    await this.sessions.get(id).pause();
  }

  /** Continues a paused session. */
  async resumeSession(id: string): Promise<void> {
    await this.sessions.get(id).resume();
  }

  /** Whether the manager holds the session (live, or terminated and not yet forgotten). */
  has(id: string): boolean {
    return this.sessions.has(id);
  }

  /** Hands a client's exec or attach connection to the session's supervisor (src/exec). */
  handOver(id: string, message: HandOverMessage, socket: Socket): Promise<void> {
    return this.sessions.get(id).handOver(message, socket);
  }

  /** Runs `argv` in the session as SessionClient's exec does; resolves once it has ended: code (null after a signal; 127: not found), signal, timedOut, stdout, stderr. */
  exec(id: string, argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return execIn(this.channels, id, argv, options);
  }

  /** As exec, streaming: its stdin, stdout and stderr (flow-controlled both ways), and wait(); close() takes the process with it. */
  spawn(id: string, argv: readonly string[], options?: SpawnOptions): Promise<SessionProcess> {
    return spawnIn(this.channels, id, argv, options);
  }

  /** A duplex stream to the stdin and stdout of a child with `"stdin": "pipe"`; ending it detaches (the child runs on). */
  attach(id: string, child: string): Promise<Duplex> {
    return attachTo(this.channels, id, child);
  }

  /** What the store keeps of a session. */
  record(id: string): SessionRecord {
    return this.sessions.get(id).record();
  }

  /** Stops every process of the session, grandchildren included, and resolves once all are gone. */
  async terminateSession(id: string): Promise<void> {
    await this.sessions.get(id).terminate();
  }

  /** Sessions not yet terminated; with `all`, the terminated ones too. */
  async listSessions(options: { all?: boolean } = {}): Promise<SessionInfo[]> {
    const sessions = this.sessions.all().filter((s) => options.all || isLive(s.status));
    const stats = await this.stats.of(sessions);
    return sessions.map((s) => s.info(stats.get(s) ?? NO_STATS));
  }

  async getSessionInfo(id: string): Promise<SessionInfo> {
    const session = this.sessions.get(id);
    return session.info((await this.stats.of([session])).get(session) ?? NO_STATS);
  }

  getSessionPid(id: string): number | NotFound {
    return this.sessions.find(id)?.supervisorPid() ?? 'not_found';
  }

  findSupervisor(id: string): number | NotFound {
    return this.getSessionPid(id);
  }

  getLlmAgentPid(id: string): number | NotFound {
    return this.sessions.find(id)?.childPid('llm_agent') ?? 'not_found';
  }

  registryKey(id: string): string {
    if (!isValidSessionId(id)) throw new SessiondError('invalid_params', `invalid session id ${JSON.stringify(id)}`);
    return registryKey(id);
  }

  /** Starts one more child in a running session, after the others (it stops first); resolves once it is ready. Its relative `file` and `cwd` resolve against `cwd` (default: the session's cwd); without a cwd of its own it runs in the session's. */
  async addChild(id: string, input: ChildSpecInput, cwd?: string): Promise<void> {
    const parsed = parseOrThrow(childSpecInput, input, 'child spec');
    const session = this.sessions.get(id);
    await session.addChild(childToAdd(session.spec, parsed, cwd));
  }

  /** Stops a child as a terminate would; it keeps its spec and stays stopped until restarted. */
  async stopChild(id: string, name: string): Promise<void> {
    await this.sessions.get(id).stopChild(name);
  }

  /** Starts a stopped child, or stops and starts a running one; counts toward no intensity. */
  async restartChild(id: string, name: string): Promise<void> {
    await this.sessions.get(id).restartChild(name);
  }

  /** Forgets a stopped child; a running one is refused (code `running`). */
  async removeChild(id: string, name: string): Promise<void> {
    await this.sessions.get(id).removeChild(name);
  }

  /** Restarts every child of the session in start order, counting toward no intensity. */
  async restartSession(id: string): Promise<void> {
    await this.sessions.get(id).restartAll();
  }

  /**
   * Sends JSON to a Node child (default: the session's first) and resolves with its reply, what its
   * onMessage handler returned; rejects with child_error (it threw), timeout, not_supported (a
   * command child) or not_running.
   */
  async send(id: string, body: unknown, options: { child?: string; timeoutMs?: number } = {}): Promise<unknown> {
    const message = messageToSend(body, options.timeoutMs);
    return this.sessions.get(id).send(options.child, message.body, message.timeoutMs);
  }

  /** Fault injection: signals the supervisor, or the child named `child`; returns the pid hit. */
  kill(id: string, target: { child?: string } = {}, signal: NodeJS.Signals = 'SIGKILL'): number {
    return this.sessions.get(id).kill(target, toSignal(signal));
  }

  /**
   * Terminates every session in parallel; the manager starts no session after this. `keepSessions`
   * (a daemon restart): the next daemon brings them back, so isolated sessions keep their work dirs.
   */
  async shutdown(options: { keepSessions?: boolean } = {}): Promise<void> {
    await this.launcher.shutdown(options.keepSessions ?? false);
  }
}
