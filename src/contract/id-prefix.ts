import { SessiondError } from './errors.js';

// Apart from control/session-ids.ts (which wraps the socket's handlers and so loads the
// protocol's schemas): the cluster's client resolves prefixes too, and sessionctl stays light.

/** The shortest prefix that may stand for a session id: shorter ones are too easily ambiguous. */
export const MIN_ID_PREFIX = 4;
const GENERATED = 'session_';

export interface KnownSessions {
  /** Whether a session of exactly this id is known (live, stored, or with events in the journal). */
  has(id: string): boolean;
  /** Every session id known. */
  ids(): readonly string[];
}

/** Whether `text` may be a prefix standing for `id` (for a generated id, the part after `session_` counts too). */
export function mayStandFor(text: string, id: string): boolean {
  return text.length >= MIN_ID_PREFIX && (id.startsWith(text) || (id.startsWith(GENERATED) && id.startsWith(text, GENERATED.length)));
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
  const matches = known.ids().filter((id) => mayStandFor(text, id));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) return null;
  const shown = matches.slice(0, 10).join(', ') + (matches.length > 10 ? `, and ${matches.length - 10} more` : '');
  throw new SessiondError('invalid_params', `session id ${JSON.stringify(text)} is ambiguous: it begins ${matches.length} session ids (${shown}); give more of it`);
}
