import { SessiondError } from '../contract/errors.js';
import { DEFAULTS, type ChildSpec, type ParsedChildInput, type SessionSpec } from '../contract/spec.js';
import { assertUserCanRun } from '../isolation/user-access.js';
import { MAX_MESSAGE_BYTES } from '../supervisor/publish.js';
import { sessionCwd, toChildSpec } from './session-input.js';

// What the manager checks of a child added to a running session, and of a message sent to one.

/**
 * The spec of a child to add to session `spec`. Relative paths are the caller's (`cwd`, default: the
 * session's cwd); the child runs where the session's children run (an isolated session's work dir,
 * its create --cwd, else its creating client's), never in the caller's directory.
 */
export function childToAdd(spec: SessionSpec, parsed: ParsedChildInput, cwd?: string): ChildSpec {
  // A session stored before its cwd was kept, with no child left: the caller's is all there is.
  const runDir = sessionCwd(spec) ?? cwd;
  if (runDir === undefined) throw new SessiondError('invalid_params', `session ${spec.id} has no working directory of its own: give the child a "cwd"`);
  const child = toChildSpec(parsed, cwd ?? runDir, runDir);
  // An isolated session's user must be able to run it.
  if (spec.isolation) assertUserCanRun({ ...spec, children: [child] }, spec.isolation);
  return child;
}

/** A message's body as it goes to a child (null for none), refused past 1 MiB of JSON; and how long to wait for its reply. */
export function messageToSend(body: unknown, timeoutMs: number | undefined): { body: unknown; timeoutMs: number } {
  const size = Buffer.byteLength(JSON.stringify(body ?? null));
  if (size > MAX_MESSAGE_BYTES) throw new SessiondError('invalid_params', `message is ${size} bytes; at most 1 MiB may be sent`);
  return { body: body ?? null, timeoutMs: timeoutMs ?? DEFAULTS.sendTimeoutMs };
}
