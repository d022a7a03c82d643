import { notFound, SessiondError } from '../contract/errors.js';
import type { SessionInfo } from '../contract/session.js';
import type { SessionSpec } from '../contract/spec.js';
import type { SessionManager } from '../manager/session-manager.js';
import { storedSessionInfo } from '../manager/session-view.js';
import type { SessionRecord } from '../store/sessions.js';
import type { Store } from '../store/index.js';

/** Where a request's session is: held by the manager (live, or terminated not long ago), or only in the store. */
export type Found = { readonly kind: 'live'; readonly id: string } | { readonly kind: 'stored'; readonly id: string; readonly record: SessionRecord };

/**
 * The one place where a request meets its session (a remote node will be one more kind). Every
 * handler goes through it, so a session only the store knows gets one answer from every method
 * that needs its processes (not_running), and reads (info, logs, describe) come from the store.
 */
export interface SessionLookup {
  /** The session, or not_found. */
  find(id: string): Found;
  /** The id of a session the manager holds, for a method that needs its processes; stored only: not_running (`why`: what the method would need). */
  live(id: string, why?: string): string;
  info(id: string): Promise<SessionInfo>;
  spec(id: string): SessionSpec;
}

export function sessionLookup(manager: SessionManager, store: Store): SessionLookup {
  const find = (id: string): Found => {
    if (manager.has(id)) return { kind: 'live', id };
    const record = store.sessions.get(id);
    if (!record) throw notFound(id);
    return { kind: 'stored', id, record };
  };
  return {
    find,
    live(id, why = 'no process of it runs; create it again to run it') {
      const found = find(id);
      if (found.kind === 'live') return id;
      throw new SessiondError('not_running', `session ${id} is ${found.record.status} (known from the store only): ${why}`);
    },
    async info(id) {
      const found = find(id);
      return found.kind === 'live' ? manager.getSessionInfo(id) : storedSessionInfo(found.record);
    },
    spec(id) {
      const found = find(id);
      return found.kind === 'live' ? manager.record(id).spec : found.record.spec;
    },
  };
}
