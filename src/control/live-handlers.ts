import { notFound, SessiondError } from '../contract/errors.js';
import type { SessionInfo } from '../contract/session.js';
import type { SessionManager } from '../manager/session-manager.js';
import type { Store } from '../store/index.js';
import type { Handlers } from './dispatch.js';
import type { LiveResults } from './live-protocol.js';
import { streamMessages } from './messages-stream.js';
import type { SessionEnds } from './session-end.js';

type LiveHandlers = Pick<Handlers, keyof LiveResults>;

/**
 * The live-session methods, each a thin mapping onto SessionManager; each change answers with
 * the session as it is after it. `info` is the daemon's (live sessions, else the store's).
 */
export function createLiveHandlers(manager: SessionManager, store: Store, info: (id: string) => Promise<SessionInfo>, ends: SessionEnds): LiveHandlers {
  // A session only the store knows (terminated long ago, or of an earlier daemon) is found, but not running.
  const live = (id: string): string => {
    if (manager.has(id)) return id;
    const record = store.sessions.get(id);
    if (!record) throw notFound(id);
    throw new SessiondError('not_running', `session ${id} is ${record.status}: its children cannot be changed or sent to`);
  };
  const changed = async (id: string, change: (id: string) => Promise<void>) => {
    await change(live(id));
    return info(id);
  };
  return {
    'session-restart': ({ id }) => changed(id, (id) => manager.restartSession(id)),
    // `cwd` (the adding client's) only resolves the child's relative paths: it runs in the session's cwd unless it names its own.
    'child-add': ({ id, child, cwd }) => changed(id, (id) => manager.addChild(id, child, cwd)),
    'child-stop': ({ id, name }) => changed(id, (id) => manager.stopChild(id, name)),
    'child-restart': ({ id, name }) => changed(id, (id) => manager.restartChild(id, name)),
    'child-remove': ({ id, name }) => changed(id, (id) => manager.removeChild(id, name)),
    async send({ id, child, timeoutMs, body }) {
      const options = { ...(child === undefined ? {} : { child }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
      return { reply: await manager.send(live(id), body, options) };
    },
    messages: (params, context) => streamMessages(manager.messages, params, context, ends),
  };
}
