import { SessiondError } from '../contract/errors.js';
import type { SessionStatus } from '../contract/session.js';
import type { SessionManager } from '../manager/session-manager.js';
import type { Handlers } from './dispatch.js';
import type { SessionCounts } from './protocol.js';

export interface DaemonHooks {
  readonly home: string;
  readonly startedAt: number;
  /** True once the daemon is stopping: no new session may start then. */
  readonly stopping: () => boolean;
  /** Terminates every session, then exits the daemon once the reply is out. */
  readonly stop: () => Promise<void>;
}

/** The control methods, each a thin mapping onto SessionManager. */
export function createHandlers(manager: SessionManager, daemon: DaemonHooks): Handlers {
  const pidOf = (id: string, pid: number | 'not_found', what: string) => {
    if (pid === 'not_found') {
      // Tell "no such session" apart from "that process is not running".
      return manager.getSessionInfo(id).then(() => {
        throw new SessiondError('not_found', `session ${id} has no running ${what}`);
      });
    }
    return Promise.resolve({ id, pid });
  };
  return {
    async create({ cwd, ...spec }) {
      if (daemon.stopping()) throw new SessiondError('daemon_unavailable', 'sessiond is stopping; start it again to create sessions');
      const id = await manager.createSession(spec, cwd);
      return manager.getSessionInfo(id);
    },
    list: ({ all }) => manager.listSessions({ all }),
    info: ({ id }) => manager.getSessionInfo(id),
    find: ({ id }) => pidOf(id, manager.findSupervisor(id), 'supervisor'),
    'llm-agent': ({ id }) => pidOf(id, manager.getLlmAgentPid(id), 'child named llm_agent'),
    async terminate({ id }) {
      await manager.terminateSession(id);
      return manager.getSessionInfo(id);
    },
    async kill({ id, child, signal }) {
      const pid = manager.kill(id, child === undefined ? {} : { child }, signal);
      return { id, pid, signal, target: child ?? 'supervisor' };
    },
    async status() {
      const sessions = await manager.listSessions({ all: true });
      return { running: true, pid: process.pid, uptimeMs: Date.now() - daemon.startedAt, home: daemon.home, sessions: countByStatus(sessions) };
    },
    async stop() {
      await daemon.stop();
      return { stopped: true, pid: process.pid };
    },
  };
}

function countByStatus(sessions: readonly { status: SessionStatus }[]): SessionCounts {
  const counts: SessionCounts = { initializing: 0, active: 0, idle: 0, terminating: 0, terminated: 0, total: sessions.length };
  for (const { status } of sessions) counts[status] += 1;
  return counts;
}
