import { SessiondError } from '../contract/errors.js';
import type { SessionManager } from '../manager/session-manager.js';
import type { Handlers } from './dispatch.js';
import type { LiveResults } from './live-protocol.js';
import type { SessionLookup } from './lookup.js';
import { streamMessages } from './messages-stream.js';
import type { SessionEnds } from './session-end.js';

type LiveHandlers = Pick<Handlers, keyof LiveResults>;

/**
 * The live-session methods, each a thin mapping onto SessionManager through the one lookup (a
 * session only the store knows: not_running); each change answers with the session as it is after it.
 */
export function createLiveHandlers(manager: SessionManager, lookup: SessionLookup, ends: SessionEnds): LiveHandlers {
  const changed = async (id: string, change: (id: string) => Promise<void>) => {
    await change(lookup.live(id));
    return lookup.info(id);
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
      return { reply: await manager.send(lookup.live(id), body, options) };
    },
    messages: (params, context) => streamMessages(manager.messages, params, context, ends),
  };
}
