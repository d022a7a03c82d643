import { notFound } from '../contract/errors.js';
import { resolveSessionId, type KnownSessions } from '../contract/id-prefix.js';
import type { Handler, Handlers } from './dispatch.js';
import { METHODS, type Method } from './protocol.js';

export { MIN_ID_PREFIX, resolveSessionId, type KnownSessions } from '../contract/id-prefix.js';

/**
 * Resolves the session a request names, once, before its handler runs, so every method by id
 * (and SessionClient with it) takes unique prefixes: `id` of every method but `create` (where
 * it is a new id), and `session` where a method filters by one (`events --session`), which
 * must then name a session that exists.
 */
export function withSessionIds(handlers: Handlers, known: KnownSessions): Handlers {
  const wrapped: Partial<Record<Method, Handler<Method>>> = {};
  for (const method of METHODS) {
    const handler = handlers[method] as Handler<Method>;
    wrapped[method] = method === 'create' ? handler : (params, context) => handler(resolveParams(params, known), context);
  }
  return wrapped as Handlers;
}

function resolveParams<P>(params: P, known: KnownSessions): P {
  const { id, session } = params as { id?: unknown; session?: unknown };
  let resolved = params;
  // An id that matches nothing goes on as given: the handler says "not found" in its own words.
  if (typeof id === 'string') resolved = { ...resolved, id: resolveSessionId(id, known) ?? id };
  if (typeof session === 'string') resolved = { ...resolved, session: resolveSessionId(session, known) ?? throwNotFound(session) };
  return resolved;
}

function throwNotFound(id: string): never {
  throw notFound(id);
}
