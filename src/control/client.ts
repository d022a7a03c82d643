import { isAbsolute, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { attachTo, execIn, localChannels, spawnIn, type ChannelTarget, type ExecOptions, type ExecResult, type SpawnOptions } from '../exec/client-exec.js';
import type { SessionProcess } from '../exec/remote-process.js';
import { SessiondError } from '../contract/errors.js';
import { isValidSessionId, registryKey } from '../contract/ids.js';
import type { SessionInfo } from '../contract/session.js';
import type { CreateSessionInput, NotFound } from '../manager/session-manager.js';
import { DAEMON_START_TIMEOUT_MS, ensureDaemon, probe } from './autostart.js';
import { Connection, openStarting, wasNeverRead, type RequestChannel } from './connection.js';
import { statePaths, type StatePaths } from '../contract/paths.js';
import type { StoredEvent } from '../contract/events.js';
import type { DaemonStatus, LogsResult, Method, ParamsInput, Results } from './protocol.js';
import type { ChildSpecInput } from '../contract/spec.js';
import type { PublishedMessage } from '../manager/message-log.js';
import { messagesStream, type MessagesOptions } from './client-messages.js';
import type { LogEntry } from '../logs/log-records.js';
import type { SessionDescription } from './describe.js';
import type { NodeInfo } from '../cluster/node-info.js';
import { eventsStream, logEntriesStream, logsStream, type EventsOptions, type LogsOptions, type StreamTarget } from './client-streams.js';

export interface SessionClientOptions {
  /** State dir of the daemon to talk to; default: the contract's. */
  readonly home?: string;
  /** Start the daemon when it is not running, as `sessionctl` does. Default: false. */
  readonly autoStart?: boolean;
  /** Called once when starting the daemon takes over a second (sessionctl says `starting sessiond…`). */
  readonly onSlowStart?: () => void;
  /**
   * Talk to the cluster at this NATS URL instead of one daemon (`sessionctl --cluster`): every
   * method runs on the node that holds the session, `create` on the node with the most room.
   */
  readonly cluster?: string | undefined;
  /** A NATS credentials file for `cluster`. */
  readonly clusterCreds?: string | undefined;
}

/**
 * SessionManager's API over the control socket of a running sessiond: what an application
 * embeds. One connection, opened on first use; `close()` releases it.
 */
export class SessionClient {
  readonly paths: StatePaths;
  private connection: Promise<RequestChannel> | null = null;

  constructor(readonly options: SessionClientOptions = {}) {
    this.paths = statePaths(options.home);
  }

  /** Sends one request and resolves with its result; rejects with a SessiondError carrying the daemon's code. */
  async request<M extends Method>(method: M, params: ParamsInput<M>): Promise<Results[M]> {
    // A daemon that went (killed, say) before reading it: sent again on a new connection. Twice at
    // most: the connection it was on, then one that met the dying daemon's socket still open.
    for (let attempt = 1; ; attempt++) {
      try {
        return (await (await this.requestChannel()).request(method, params)) as Results[M];
      } catch (error) {
        if (attempt === 3 || !wasNeverRead(error)) throw error;
      }
    }
  }

  // The one connection; one the daemon has closed since (it was restarted, stopped or died) is
  // replaced by a new one, the daemon started again if asked: a long-lived client outlives its
  // daemon. A request in flight when the daemon went still fails: it may or may not have been done.
  private async requestChannel(): Promise<RequestChannel> {
    const current = this.connection;
    if (current && (await current.catch(() => null))?.closed && this.connection === current) this.connection = null;
    this.connection ??= this.connect();
    return this.connection.catch((error: unknown) => {
      this.connection = null;
      throw error;
    });
  }

  /**
   * Starts a session and resolves with its id once every child is ready; relative files resolve
   * against `cwd` (default: this process's), where its children run too (an isolated session's
   * run in its work dir unless `cwd` is given).
   */
  async createSession(input: CreateSessionInput = {}, cwd?: string): Promise<string> {
    return (await this.create(input, cwd)).id;
  }

  /** As createSession, resolving with the session's JSON. */
  create(input: CreateSessionInput & { readonly node?: string } = {}, cwd?: string): Promise<SessionInfo> {
    const dir = cwd ?? process.cwd();
    return this.request('create', { ...input, cwd: isAbsolute(dir) ? dir : resolve(dir), cwdGiven: cwd !== undefined });
  }

  async terminateSession(id: string): Promise<void> {
    await this.request('terminate', { id });
  }

  /** Stops every process of the session (the cgroup freezer, else SIGSTOP): status paused. */
  async pauseSession(id: string): Promise<void> {
    await this.request('pause', { id });
  }

  /** Continues a paused session's processes. */
  async resumeSession(id: string): Promise<void> {
    await this.request('resume', { id });
  }

  listSessions(options: { all?: boolean } = {}): Promise<SessionInfo[]> {
    return this.request('list', { all: options.all ?? false });
  }

  getSessionInfo(id: string): Promise<SessionInfo> {
    return this.request('info', { id });
  }

  /** How each child of a session is run: command or file, args, cwd, env keys (never values), restart settings, log files. */
  describe(id: string): Promise<SessionDescription> {
    return this.request('describe', { id });
  }

  getSessionPid(id: string): Promise<number | NotFound> {
    return this.pidOrNotFound(this.request('find', { id }));
  }

  findSupervisor(id: string): Promise<number | NotFound> {
    return this.getSessionPid(id);
  }

  getLlmAgentPid(id: string): Promise<number | NotFound> {
    return this.pidOrNotFound(this.request('llm-agent', { id }));
  }

  registryKey(id: string): string {
    if (!isValidSessionId(id)) throw new SessiondError('invalid_params', `invalid session id ${JSON.stringify(id)}`);
    return registryKey(id);
  }

  /** Fault injection: signals the supervisor, or the child named `target.child`; resolves with the pid hit. */
  async kill(id: string, target: { child?: string } = {}, signal: NodeJS.Signals = 'SIGKILL'): Promise<number> {
    return (await this.request('kill', { id, signal, ...(target.child === undefined ? { supervisor: true } : { child: target.child }) })).pid;
  }

  /**
   * The lifecycle events after `since` (a seq), or the last `lines`, oldest first, each passed to
   * `onEvent`. With `follow`, goes on with every new event until `signal` aborts (then resolves),
   * or, with `session`, until that session has ended and its last event is out. A follower
   * rides out a daemon restart: it waits up to `reconnectMs` (30 s) for the next daemon and goes
   * on after the last seq it delivered, nothing lost or repeated; it resolves when the daemon is
   * stopped for good (`onNotice` is told). It rejects when no daemon comes back, or with code
   * slow_reader if it falls too far behind: resume with `since` = the last seq seen.
   */
  events(options: EventsOptions, onEvent: (event: StoredEvent) => void, signal?: AbortSignal): Promise<void> {
    return eventsStream(this.streamTarget(), options, onEvent, signal);
  }

  /**
   * A child's last `lines` lines (default: the session's first child); with `follow`, `onText`
   * then gets what it prints next, until `signal` aborts or the session has ended (then the rest
   * of its log comes first). A follower rides out a daemon restart
   * as `events` does, going on at the byte where it left off.
   */
  logs(id: string, options: LogsOptions, onText: (text: string) => void, signal?: AbortSignal): Promise<LogsResult> {
    return logsStream(this.streamTarget(), id, options, onText, signal);
  }

  /** Starts one more child in a running session, after the others; resolves with the session once it is ready. Its relative `file` and `cwd` resolve against `cwd`; without a cwd of its own it runs in the session's (its create's cwd), never in `cwd`. */
  addChild(id: string, child: ChildSpecInput, cwd = process.cwd()): Promise<SessionInfo> {
    return this.request('child-add', { id, child, cwd: isAbsolute(cwd) ? cwd : resolve(cwd) });
  }

  /** Stops a child as a terminate would; it keeps its spec and stays stopped until restarted. */
  stopChild(id: string, name: string): Promise<SessionInfo> {
    return this.request('child-stop', { id, name });
  }

  /** Starts a stopped child, or stops and starts a running one; counts toward no intensity. */
  restartChild(id: string, name: string): Promise<SessionInfo> {
    return this.request('child-restart', { id, name });
  }

  /** Forgets a stopped child; a running one is refused (code `running`). */
  removeChild(id: string, name: string): Promise<SessionInfo> {
    return this.request('child-remove', { id, name });
  }

  /** Restarts every child of the session in start order, counting toward no intensity. */
  restartSession(id: string): Promise<SessionInfo> {
    return this.request('session-restart', { id });
  }

  /**
   * Sends JSON (under 1 MiB) to a Node child (default: the session's first) and resolves with its
   * reply; rejects with child_error (its handler threw), timeout (default 30 s), not_supported (a
   * command child) or not_running. Many may be in flight at once: each gets its own reply.
   */
  async send(id: string, body: unknown, options: { child?: string; timeoutMs?: number } = {}): Promise<unknown> {
    return (await this.request('send', { id, body: body ?? null, ...options })).reply;
  }

  /**
   * What children published, oldest first (the daemon keeps each session's last 1000, in memory
   * only), each passed to `onMessage`; with `follow`, then every new one until `signal` aborts
   * or (with `session`) that session has ended.
   * A follower rides out a daemon restart as `events` does, going on with the new daemon's messages.
   */
  messages(options: MessagesOptions, onMessage: (message: PublishedMessage) => void, signal?: AbortSignal): Promise<void> {
    return messagesStream(this.streamTarget(), options, onMessage, signal);
  }

  /** As `logs`, each line (then each piece it prints) as { at, stream, text, end }: when sessiond captured it, and from stdout or stderr. */
  logEntries(id: string, options: LogsOptions, onEntries: (entries: readonly LogEntry[], tail: boolean) => void, signal?: AbortSignal): Promise<LogsResult> {
    return logEntriesStream(this.streamTarget(), id, options, onEntries, signal);
  }

  /**
   * Runs `argv` in the session (a process of it: its cgroup, cwd, environment) and resolves once
   * it has ended: its exit code (null after a signal; 127 when not found), signal, whether
   * `timeoutMs` passed, and its whole stdout and stderr.
   */
  exec(id: string, argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return execIn(this.channel(), id, argv, options);
  }

  /** As exec, streaming: its stdin, stdout and stderr (flow-controlled both ways), and wait(). */
  spawn(id: string, argv: readonly string[], options?: SpawnOptions): Promise<SessionProcess> {
    return spawnIn(this.channel(), id, argv, options);
  }

  /** A duplex stream to the stdin and stdout of a child with `"stdin": "pipe"`; ending it detaches (the child runs on). */
  attach(id: string, child: string): Promise<Duplex> {
    return attachTo(this.channel(), id, child);
  }

  /** The cluster's nodes: name, sessions, max sessions, free memory, version, when last heard from, up | unreachable | stopped. */
  nodes(): Promise<NodeInfo[]> {
    return this.request('nodes', {});
  }

  /** The daemon's status; `running: false` (never an error) when it is not running. */
  async status(): Promise<DaemonStatus> {
    return (await probe(this.paths)) ?? { running: false, pid: null, uptimeMs: null, home: this.paths.home, sessions: null, cgroups: null };
  }

  /** Terminates every session and stops the daemon; resolves with its pid once it has replied, or null if it was not running. */
  async stop(): Promise<number | null> {
    if (!(await probe(this.paths))) return null;
    const { pid } = await this.request('stop', {});
    this.close();
    return pid;
  }

  /** Stops the daemon's processes but keeps its sessions for the next daemon; its pid once it has replied, or null if it was not running. */
  async restart(): Promise<number | null> {
    if (!(await probe(this.paths))) return null;
    const { pid } = await this.request('restart', {});
    this.close();
    return pid;
  }

  close(): void {
    const connection = this.connection;
    this.connection = null;
    void connection?.then((c) => c.close(), () => undefined);
  }

  // A stream gets a connection of its own (the daemon started if asked), closed when its signal aborts; it comes back without starting one.
  private streamTarget(): StreamTarget {
    return { open: () => this.connect(), socket: this.paths.socket };
  }

  // An exec or attach gets a connection of its own, which the daemon hands to the session.
  // Across the cluster, on the session's node through the one cluster connection.
  private channel(): ChannelTarget {
    if (this.options.cluster) {
      return {
        open: async (method, params) => {
          const cluster = (await this.requestChannel()) as import('../cluster/cluster-client.js').ClusterClient;
          return cluster.openChannel(method, params as { id: string });
        },
      };
    }
    return localChannels(this.paths.socket, this.startDaemon());
  }

  private async connect(): Promise<RequestChannel> {
    const { cluster, clusterCreds } = this.options;
    if (cluster) {
      // The NATS client loads only here: no local use of the library or CLI pays for it.
      const { ClusterClient } = await import('../cluster/cluster-client.js');
      return ClusterClient.open({ url: cluster, credsFile: clusterCreds });
    }
    return openStarting(() => Connection.open(this.paths.socket), this.startDaemon());
  }

  // How a connection finds no daemon and starts one (autoStart), or undefined.
  private startDaemon(): (() => Promise<unknown>) | undefined {
    return this.options.autoStart ? () => ensureDaemon(this.paths, DAEMON_START_TIMEOUT_MS, this.options.onSlowStart) : undefined;
  }

  private async pidOrNotFound(result: Promise<{ pid: number }>): Promise<number | NotFound> {
    try {
      return (await result).pid;
    } catch (error) {
      if (error instanceof SessiondError && error.code === 'not_found') return 'not_found';
      throw error;
    }
  }
}
