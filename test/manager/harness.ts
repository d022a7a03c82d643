import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionEvent } from '../../src/contract/events.js';
import { SessionManager, type SessionManagerOptions } from '../../src/manager/session-manager.js';
import { expectAllGone, runningDescendants, tempHome, waitFor } from '../helpers/proc.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const fixture = (name: string) => join(FIXTURES, name);

/**
 * A SessionManager in its own temporary state dir that records every event and every pid it
 * ever saw, so a test's cleanup can prove from /proc that nothing it started survives.
 */
export class Harness {
  readonly home = tempHome();
  readonly manager: SessionManager;
  readonly events: SessionEvent[] = [];
  readonly seen = new Set<number>();

  constructor(options: SessionManagerOptions = {}) {
    this.manager = new SessionManager({ home: this.home.dir, ...options });
    this.manager.on('event', (event) => {
      this.events.push(event);
      if (typeof event.pid === 'number') this.seen.add(event.pid);
    });
  }

  /** Records the session's live pids (supervisor, children, grandchildren). */
  async snapshot(id: string): Promise<number[]> {
    const info = await this.manager.getSessionInfo(id);
    const pids = info.supervisorPid === null ? [] : [info.supervisorPid, ...runningDescendants(info.supervisorPid)];
    for (const child of info.children) if (child.pid !== null) pids.push(child.pid, ...runningDescendants(child.pid));
    for (const pid of pids) this.seen.add(pid);
    return pids;
  }

  async create(input: Parameters<SessionManager['createSession']>[0] = {}): Promise<string> {
    const id = await this.manager.createSession(input);
    await this.snapshot(id);
    return id;
  }

  waitEvent(match: (e: SessionEvent) => boolean, what: string, timeoutMs = 10_000): Promise<SessionEvent> {
    return waitFor(() => this.events.find(match), what, timeoutMs);
  }

  /** Waits for the n-th event (1-based) matching, counting from the start. */
  waitNth(n: number, match: (e: SessionEvent) => boolean, what: string, timeoutMs = 10_000): Promise<SessionEvent> {
    return waitFor(() => this.events.filter(match)[n - 1], what, timeoutMs);
  }

  async close(): Promise<void> {
    try {
      await this.manager.shutdown();
      await expectAllGone([...this.seen], 3000);
    } finally {
      this.home.cleanup();
    }
  }
}

/** The spare once its Placeholder is up; its pids are recorded so teardown proves them gone. */
export async function readySpare(harness: Harness): Promise<{ supervisorPid: number; placeholderPid: number }> {
  const spare = await waitFor(() => harness.manager.spares().find((s) => s.placeholderPid !== null), 'a ready spare');
  harness.seen.add(spare.supervisorPid).add(spare.placeholderPid!);
  return spare as { supervisorPid: number; placeholderPid: number };
}
