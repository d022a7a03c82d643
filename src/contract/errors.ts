/** Error codes shared by the library, the control socket and the CLI. */
export type ErrorCode =
  | 'parse_error'
  | 'invalid_request'
  | 'invalid_params'
  | 'not_found'
  | 'already_exists'
  | 'start_failed'
  | 'daemon_unavailable'
  | 'daemon_stopped'
  | 'slow_reader'
  | 'not_supported'
  /** A request that needs a running child (send) met one that is not. */
  | 'not_running'
  /** A request that needs a stopped child (child remove) met a running one. */
  | 'running'
  /** A child's onMessage handler threw: the message is the child's. */
  | 'child_error'
  | 'timeout'
  /** A child already has its one attacher. */
  | 'busy'
  /** sessiond --max-sessions is reached. */
  | 'capacity'
  /** The cluster (NATS) cannot be reached: local sessions are not affected. */
  | 'cluster_unavailable'
  /** The session's node has not been heard from for 15 s: the message names it. */
  | 'node_unreachable'
  | 'internal';

/** The one error class of sessiond: a code a program can test, a message a person can act on. */
export class SessiondError extends Error {
  override readonly name = 'SessiondError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function notFound(id: string): SessiondError {
  return new SessiondError('not_found', `session ${id} not found`);
}

/** A session whose last child was removed has no child to read or send to (it stays active: one can be added). */
export function noChild(id: string, what: 'logs' | 'send'): SessiondError {
  const missing = what === 'logs' ? 'no log to show' : 'nothing to send to';
  // No log is a thing not found (exit 3); a send with no child to take it failed (exit 1), as one to a child without a handler.
  return new SessiondError(what === 'logs' ? 'not_found' : 'not_supported', `session ${id} has no child (the last one was removed): ${missing}; add one with sessionctl child add ${id} …`);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
