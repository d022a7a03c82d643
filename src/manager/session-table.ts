import { notFound } from '../contract/errors.js';
import { isLive } from '../contract/session.js';
import type { SessionRuntime } from './session-runtime.js';

/** The sessions a manager holds, in order of creation: the live ones, and the last terminated ones. */
export class SessionTable {
  private readonly sessions = new Map<string, SessionRuntime>();

  constructor(
    /** Terminated sessions kept, oldest dropped first. */
    private readonly keepTerminated: number,
  ) {}

  /** The session, or not_found. */
  get(id: string): SessionRuntime {
    const session = this.sessions.get(id);
    if (!session) throw notFound(id);
    return session;
  }

  find(id: string): SessionRuntime | undefined {
    return this.sessions.get(id);
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  all(): SessionRuntime[] {
    return [...this.sessions.values()];
  }

  /** A session started (or started again under its id): last in order of creation. */
  add(session: SessionRuntime): void {
    this.sessions.delete(session.spec.id);
    this.sessions.set(session.spec.id, session);
  }

  liveCount(): number {
    return this.all().filter((s) => isLive(s.status)).length;
  }

  forgetOldTerminated(): void {
    const terminated = this.all().filter((s) => !isLive(s.status));
    for (const session of terminated.slice(0, Math.max(0, terminated.length - this.keepTerminated))) {
      this.sessions.delete(session.spec.id);
    }
  }
}
