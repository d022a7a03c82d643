import type { Logger } from 'pino';
import { errorMessage } from '../contract/errors.js';
import { stopLeftovers } from '../process/leftovers.js';
import type { SessionManager } from '../manager/session-manager.js';
import type { SessionRecord, Store } from '../store/index.js';

/**
 * Brings back, at daemon start, every session the last daemon left active or idle (or
 * initializing on its way back), in new processes. First whatever is still alive of the old
 * processes is stopped (matched by pid and start time), so nothing runs twice; a session the
 * last daemon was terminating is recorded as terminated, and so is one whose create was cut
 * short (initializing, never active), with an error. The sessions show as initializing at
 * once; their starts go on in the background.
 */
export async function resurrectSessions(store: Store, manager: SessionManager, log: Logger): Promise<void> {
  const left = store.sessions.list();
  const stopped = await Promise.all(left.map((record) => stopLeftovers(record)));
  stopped.forEach((pids, i) => pids.length && log.info({ session: left[i]!.id, pids }, 'stopped leftover processes of the last daemon'));

  for (const record of left) {
    if (record.status === 'terminating') end(store, record, null);
    else if (record.status === 'initializing' && !store.events.has(record.id, 'session.active')) {
      end(store, record, 'start interrupted: sessiond stopped before the session was ready; create it again');
    }
  }

  // Work dirs that no session will use (a spare's left by a SIGKILLed daemon, one of a session just
  // ended above) hold a uid for nothing; those of sessions coming back, or kept on request, stay.
  const kept = store.sessions.list({ all: true }).filter((r) => r.status !== 'terminated' || r.spec.isolation?.keepWorkdir);
  manager.sweepWorkDirs(new Set(kept.map((record) => record.id)));

  for (const record of store.sessions.listResurrectable()) {
    manager.resurrectSession(record).then(
      () => log.info({ session: record.id }, 'session resurrected'),
      (error: unknown) => log.warn({ session: record.id }, `session could not be resurrected: ${errorMessage(error)}`),
    );
  }
}

function end(store: Store, record: SessionRecord, error: string | null): void {
  const at = new Date().toISOString();
  const children = record.children.map((c) => ({ ...c, pid: null, startTime: null, status: 'stopped' as const }));
  store.transaction(() => {
    store.events.append({ at, session: record.id, type: 'session.terminated', error });
    store.sessions.put({ ...record, status: 'terminated', error, updatedAt: at, supervisorPid: null, supervisorStartTime: null, children });
  });
}
