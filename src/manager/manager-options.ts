import type { CgroupSupport } from '../cgroup/index.js';
import type { IsolationOptions } from '../isolation/isolation.js';
import type { LogRotation } from '../logs/child-log.js';

export interface SessionManagerOptions {
  /** State directory; its `logs/` receives every child's output. Default: the contract's. */
  readonly home?: string;
  readonly heartbeatMs?: number;
  readonly startTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
  /**
   * Spare sessions kept started ahead of need (default 1; 0: none): a supervisor with its
   * Placeholder loaded, waiting for a session. A create with no children takes a whole spare
   * (milliseconds); one with children of its own takes its supervisor (one Node start-up less).
   */
  readonly warmSupervisors?: number;
  /** Sessions starting at once; more wait their turn, initializing (default: twice the cores, 4 at least). */
  readonly concurrentStarts?: number;
  /** Terminated sessions kept in memory for info and list --all, oldest dropped first (default 100). */
  readonly keepTerminated?: number;
  /** What cgroups the host offers (detectCgroups; the daemon detects them): none by default, and memoryMax is then watched. */
  readonly cgroups?: CgroupSupport;
  /** Put every session in a cgroup of its own, limits or not (default true where there are cgroups). */
  readonly cgroupEverySession?: boolean;
  /** A create past this many sessions not yet terminated fails with code capacity (default: no limit). */
  readonly maxSessions?: number;
  /** How each child's log rotates: past `maxBytes` (default 5 MiB), keeping `files` rotated files (default 3). */
  readonly logRotation?: Partial<LogRotation>;
  /** Isolated sessions: whether they are the default (`sessiond --isolate`), their uid range, where their files go. */
  readonly isolation?: IsolationOptions;
}
