import { notFound, SessiondError } from '../contract/errors.js';
import type { Handler, Handlers } from './dispatch.js';
import { METHODS, type Method } from './protocol.js';

/** The shortest prefix that may stand for a session id: shorter ones are too easily ambiguous. */
export const MIN_ID_PREFIX = 4;
const GENERATED = 'session_';

export interface KnownSessions {
  /** Whether a session of exactly this id is known (live, stored, or with events in the journal). */
  has(id: string): boolean;
  /** Every session id known. */
  ids(): readonly string[];
}

/**
 * The session `text` stands for: itself when such a session exists, else the one id it is a
 * prefix of (4 characters at least; for a generated id, a prefix of the part after
 * `session_` counts too, as one types the uuid); null when none matches. Ambiguous: bad usage,
 * naming the candidates.
 */
export function resolveSessionId(text: string, known: KnownSessions): string | null {
  if (known.has(text)) return text;
  if (text.length < MIN_ID_PREFIX) return null;
  const matches = known.ids().filter((id) => id.startsWith(text) || (id.startsWith(GENERATED) && id.startsWith(text, GENERATED.length)));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) return null;
  const shown = matches.slice(0, 10).join(', ') + (matches.length > 10 ? `, and ${matches.length - 10} more` : '');
  throw new SessiondError('invalid_params', `session id ${JSON.stringify(text)} is ambiguous: it begins ${matches.length} session ids (${shown}); give more of it`);
}

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
