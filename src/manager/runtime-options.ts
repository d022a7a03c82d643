import type { SessionCgroup } from '../cgroup/index.js';
import type { EventType } from '../contract/events.js';
import type { Spawned } from '../process/spawn.js';
import type { PublishedMessage } from './message-log.js';
import type { BoundsOptions } from './session-bounds.js';
import type { SupervisorSettings } from './supervisor-settings.js';

/** What the manager gives each session's runtime: its settings, and where its events, messages and warnings go. */
export interface RuntimeOptions {
  readonly heartbeatMs: number;
  readonly startTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Parent of every session's folder of logs (see contract/paths.ts). */
  readonly sessionsDir: string;
  /** What every supervisor's init carries besides its session: log rotation, the child preloads. */
  readonly supervisor?: SupervisorSettings;
  /** A new session (not a resurrection): the logs of a terminated session of the same id go. */
  readonly fresh: boolean;
  readonly emit: (type: EventType, fields?: Record<string, unknown>) => void;
  /** What a child published (kept in memory by the manager, never logged). */
  readonly publish: (message: PublishedMessage) => void;
  readonly warn: (message: string) => void;
  readonly debug: (message: string) => void;
  /**
   * Gives a supervisor process that waits for its init, what it has spawned already (a spare's
   * Placeholder), the spare's cgroup if it has one, and the start times of its processes if read already.
   */
  readonly spawnSupervisor: () => { readonly proc: Spawned; readonly spawned: readonly number[]; readonly group?: SessionCgroup | null; readonly startTimes?: ReadonlyMap<number, number | null> };
  /** A resurrected session keeps the creation time of its first life. */
  readonly createdAt?: string;
  /** The host's cgroups and how sessions use them (default: none; memoryMax is then watched). */
  readonly bounds?: BoundsOptions;
}
