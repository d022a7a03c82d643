import type { KnownSessions } from '../control/session-ids.js';
import type { SessionManager } from '../manager/session-manager.js';
import type { Store } from '../store/index.js';

/** The sessions ids may name: live ones, those of earlier daemons in the store, and pruned ones whose events remain. */
export function knownSessions(manager: SessionManager, store: Store): KnownSessions {
  return {
    has: (id) => manager.has(id) || store.sessions.get(id) !== null || store.events.since(0, { session: id, limit: 1 }).length > 0,
    // The store holds every session the manager does: the journal writes each one's record with its first event.
    ids: () => store.sessions.list({ all: true }).map((record) => record.id),
  };
}
