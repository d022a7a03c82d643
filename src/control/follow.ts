import { setTimeout as sleep } from 'node:timers/promises';
import { SessiondError } from '../contract/errors.js';
import { Connection, type RequestChannel } from './connection.js';

/** How long a follower waits for a daemon that went away (a `daemon restart`, a crash) before it gives up. */
export const RECONNECT_WINDOW_MS = 30_000;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2000;

export interface FollowOptions {
  /** How long to wait for a daemon that went away before giving up; 0: not at all. Default 30 s. */
  readonly reconnectMs?: number;
  /** Told, in a line for a person, when the stream loses the daemon, finds it again, or ends because it was stopped. */
  readonly onNotice?: (notice: string) => void;
}

interface Follow extends FollowOptions {
  readonly socket: string;
  readonly signal?: AbortSignal | undefined;
  /** Where to go on from, for a person: `resume with --since 42`. */
  readonly resumeHint: () => string;
}

/**
 * Runs a stream that outlives its connection. `attempt` runs the stream's request on one
 * connection, resuming from what was already delivered. When the daemon goes away under it
 * (daemon_unavailable: a restart, a crash), the next daemon is waited for with a bounded
 * backoff, never started (following is no reason to start a daemon), and `attempt` runs again.
 * Ends quietly when `signal` aborts, or when the daemon says it was stopped for good; rejects
 * when no daemon answers for `reconnectMs`, saying where to resume.
 */
export async function followAcross(first: RequestChannel, attempt: (connection: RequestChannel) => Promise<void>, follow: Follow): Promise<void> {
  const { signal, onNotice } = follow;
  const windowMs = follow.reconnectMs ?? RECONNECT_WINDOW_MS;
  let connection = first;
  for (;;) {
    const stop = () => connection.close();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await attempt(connection);
      return;
    } catch (error) {
      if (signal?.aborted) return;
      if (!(error instanceof SessiondError)) throw error;
      if (error.code === 'daemon_stopped') return onNotice?.(`${error.message}; the stream ends here (${follow.resumeHint()})`);
      if (error.code !== 'daemon_unavailable' || windowMs <= 0) throw error;
      onNotice?.(`${error.message}; waiting up to ${seconds(windowMs)} for sessiond to come back`);
    } finally {
      signal?.removeEventListener('abort', stop);
      connection.close();
    }
    const next = await reconnect(follow.socket, windowMs, signal);
    if (next === 'aborted') return;
    if (!next) throw new SessiondError('daemon_unavailable', `sessiond did not come back within ${seconds(windowMs)} (no answer on ${follow.socket}); ${follow.resumeHint()}`);
    onNotice?.('sessiond is back; the stream goes on where it left off');
    connection = next;
  }
}

// Tries to connect, 100 ms apart at first and doubling to 2 s, until `windowMs` has passed.
async function reconnect(socket: string, windowMs: number, signal: AbortSignal | undefined): Promise<Connection | null | 'aborted'> {
  const deadline = Date.now() + windowMs;
  for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
    const wait = Math.min(delay, deadline - Date.now());
    if (wait <= 0) return null;
    try {
      await sleep(wait, undefined, signal ? { signal } : {});
    } catch {
      return 'aborted';
    }
    try {
      return await Connection.open(socket);
    } catch {
      // not back yet
    }
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
