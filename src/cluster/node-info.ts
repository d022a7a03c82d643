/** What a node announces about itself, at least every 5 s: the KV value under its name. */
export interface NodeAnnouncement {
  readonly name: string;
  /** This daemon process: a restarted daemon is a new instance of the same node. */
  readonly instance: string;
  readonly pid: number;
  /** Sessions not yet terminated. */
  readonly sessions: number;
  /** `--max-sessions`, or null when unbounded. */
  readonly maxSessions: number | null;
  /** Bytes of memory available on the host (MemAvailable). */
  readonly freeMemory: number;
  readonly version: string;
  readonly startedAt: string;
  /** True once the daemon has left on purpose (`daemon stop`, `daemon restart`). */
  readonly stopped: boolean;
}

export type NodeState = 'up' | 'unreachable' | 'stopped';

/** A node as `nodes` shows it: what it last announced, when, and what that makes it now. */
export interface NodeInfo extends Omit<NodeAnnouncement, 'instance' | 'stopped'> {
  readonly state: NodeState;
  /** When its last announcement reached the cluster (the KV entry's time). */
  readonly lastHeardAt: string;
}

/** A node is announced every 2 s; one not heard from for this long is unreachable. */
export const ANNOUNCE_EVERY_MS = 2000;
export const UNREACHABLE_AFTER_MS = 15_000;

/** Pure: what an announcement heard at `heardAt` makes its node at `now`. */
export function nodeInfo(announcement: NodeAnnouncement, heardAt: Date, now: number): NodeInfo {
  const { instance: _, stopped, ...shown } = announcement;
  const state: NodeState = stopped ? 'stopped' : now - heardAt.getTime() > UNREACHABLE_AFTER_MS ? 'unreachable' : 'up';
  return { ...shown, state, lastHeardAt: heardAt.toISOString() };
}
