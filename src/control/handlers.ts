import { SessiondError } from '../contract/errors.js';
import { isLive, type SessionInfo, type SessionStatus } from '../contract/session.js';
import { packageVersion } from '../contract/version.js';
import type { Journal } from '../daemon/journal.js';
import type { SessionManager } from '../manager/session-manager.js';
import type { CgroupSupport } from '../cgroup/index.js';
import { storedSessionInfo } from '../manager/session-view.js';
import { sessionLookup } from './lookup.js';
import type { Store } from '../store/index.js';
import type { Handlers } from './dispatch.js';
import { streamEvents } from './events-stream.js';
import { describeSession } from './describe.js';
import { streamLogs } from './logs-stream.js';
import type { SessionEnds } from './session-end.js';
import { createLiveHandlers } from './live-handlers.js';
import { createExecHandlers } from './exec-handlers.js';
import type { SessionCounts } from './protocol.js';

export interface DaemonContext {
  readonly manager: SessionManager;
  readonly store: Store;
  readonly journal: Journal;
  readonly home: string;
  readonly sessionsDir: string;
  /** Where the daemon serves Prometheus metrics (`--metrics`), or null. */
  readonly metricsUrl?: string | null;
  /** Whether systemd runs the daemon: then it, not a command, starts the next one after a restart. */
  readonly systemd?: boolean;
  readonly startedAt: number;
  /** What the daemon detected at its start: `status`'s `cgroups`. */
  readonly cgroups: CgroupSupport;
  /** True once the daemon is stopping: no new session may start then. */
  readonly stopping: () => boolean;
  /** Terminates every session (`restart`: stops their processes, keeping the sessions), then exits once the reply is out. */
  readonly stop: (options: { keepSessions: boolean }) => Promise<void>;
}

/**
 * The control methods, each a thin mapping onto SessionManager. Sessions the manager no longer
 * holds in memory (terminated, or of an earlier daemon) are read from the store.
 */
export function createHandlers(daemon: DaemonContext): Handlers {
  const { manager, store } = daemon;
  const lookup = sessionLookup(manager, store);
  const { info } = lookup;
  // The live sessions from the manager, the terminated ones from the store, oldest first.
  const allSessions = async (): Promise<SessionInfo[]> => {
    const live = await manager.listSessions({ all: true });
    const held = new Set(live.map((s) => s.id));
    const stored = store.sessions.list({ all: true }).filter((r) => !held.has(r.id) && !isLive(r.status));
    return [...stored.map(storedSessionInfo), ...live].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  };
  const pidOf = (id: string, pid: number | 'not_found', what: string) => {
    if (pid !== 'not_found') return { id, pid };
    lookup.find(id); // tells "no such session" apart from "that process is not running"
    throw new SessiondError('not_found', `session ${id} has no running ${what}`);
  };
  // A one-session follower ends with its session (session-end.ts).
  const ends: SessionEnds = { terminated: (id) => store.sessions.get(id)?.status === 'terminated', subscribe: (listener) => daemon.journal.subscribe(listener) };
  return {
    async create({ cwd, cwdGiven, ...input }) {
      if (daemon.stopping()) throw new SessiondError('daemon_unavailable', 'sessiond is stopping; start it again to create sessions');
      return info(await manager.createParsed(input, cwd, cwdGiven ?? cwd !== undefined));
    },
    list: ({ all }) => (all ? allSessions() : manager.listSessions()),
    info: ({ id }) => info(id),
    describe: async ({ id }) => describeSession(lookup.spec(id), daemon.sessionsDir),
    find: async ({ id }) => pidOf(id, manager.findSupervisor(id), 'supervisor'),
    'llm-agent': async ({ id }) => pidOf(id, manager.getLlmAgentPid(id), 'child named llm_agent'),
    async pause({ id }) {
      await manager.pauseSession(lookup.live(id, 'only an active or idle session can be paused'));
      return info(id);
    },
    async resume({ id }) {
      await manager.resumeSession(lookup.live(id, 'there is nothing to resume'));
      return info(id);
    },
    // A terminate of a session that has ended already is answered with it as it is.
    async terminate({ id }) {
      const found = lookup.find(id);
      if (found.kind === 'live') await manager.terminateSession(id);
      return info(id);
    },
    async kill({ id, child, signal }) {
      const pid = manager.kill(lookup.live(id), child === undefined ? {} : { child }, signal);
      return { id, pid, signal, target: child ?? 'supervisor' };
    },
    events: (params, context) => streamEvents({ ...ends, since: (seq, o) => store.events.since(seq, o), startOfLast: (n, o) => store.events.startOfLast(n, o) }, params, context),
    logs: (params, context) => streamLogs(lookup.spec(params.id), daemon.sessionsDir, params, context, ends),
    async status() {
      const sessions = await allSessions();
      return {
        running: true,
        pid: process.pid,
        uptimeMs: Date.now() - daemon.startedAt,
        home: daemon.home,
        sessions: countByStatus(sessions),
        version: packageVersion(),
        spares: manager.spares(),
        cgroups: daemon.cgroups,
        metrics: daemon.metricsUrl ?? null,
        systemd: daemon.systemd ?? false,
      };
    },
    async stop() {
      await daemon.stop({ keepSessions: false });
      return { stopped: true, pid: process.pid };
    },
    async restart() {
      await daemon.stop({ keepSessions: true });
      return { stopped: true, pid: process.pid };
    },
    // A daemon in a cluster answers it (src/cluster/node-handlers.ts).
    async nodes() {
      throw new SessiondError('not_supported', 'this sessiond is not in a cluster: start it with --cluster URL, or give sessionctl --cluster URL');
    },
    ...createLiveHandlers(manager, lookup, ends),
    ...createExecHandlers(manager, lookup),
  };
}

function countByStatus(sessions: readonly { status: SessionStatus }[]): SessionCounts {
  const counts: SessionCounts = { initializing: 0, active: 0, idle: 0, paused: 0, terminating: 0, terminated: 0, total: sessions.length };
  for (const { status } of sessions) counts[status] += 1;
  return counts;
}
