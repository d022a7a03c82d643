/** The session JSON of the contract: what `info --json` prints and the socket returns. */
import type { IsolationInfo } from './isolation.js';
import type { AutoShutdown, ChildStatus, SessionStatus, Strategy } from './vocabulary.js';

export type { ChildStatus, RestartType, SessionStatus, Strategy } from './vocabulary.js';

/** Why sessiond itself ended a child: past its memory limit, or hung (no pong for 3 heartbeats). */
export type ExitReason = 'memory' | 'hung';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
  readonly at: string;
  /** Where sessiond caused the exit: its memory limit, or a hang (as `child.exited` says). */
  readonly reason?: ExitReason;
}

export interface ChildInfo {
  readonly name: string;
  readonly pid: number | null;
  readonly status: ChildStatus;
  readonly restarts: number;
  readonly lastExit: ExitInfo | null;
  readonly cwd: string;
  readonly significant: boolean;
  /** While it waits out a restart delay: when it starts again (ISO). */
  readonly nextRestartAt: string | null;
}

/** How a session's limits are enforced: by the kernel in the session's cgroup, by the daemon's sampling (memory only), or not at all (no limits). */
export type Enforcement = 'cgroup' | 'watchdog' | null;

export interface SessionLimits {
  readonly memoryMax: number | null;
  readonly cpuMax: number | null;
  readonly maxProcesses: number | null;
  readonly ttlMs: number | null;
  readonly idleTerminateMs: number | null;
  readonly enforcement: Enforcement;
}

export interface SessionStats {
  readonly cpu: number;
  readonly memory: number;
}

export interface SessionInfo {
  readonly id: string;
  readonly status: SessionStatus;
  readonly registryKey: string;
  readonly supervisorPid: number | null;
  readonly children: readonly ChildInfo[];
  readonly restarts: number;
  readonly strategy: Strategy;
  readonly autoShutdown: AutoShutdown;
  readonly limits: SessionLimits;
  readonly metadata: Record<string, unknown>;
  readonly llmConfig: Record<string, unknown>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly error: string | null;
  readonly stats: SessionStats;
  /** The node that holds the session: null on a daemon without --cluster. */
  readonly node?: string | null;
  /** Across the cluster: false when the node has not been heard from for 15 s (the rest is its last known state). */
  readonly reachable?: boolean;
  /** An isolated session's user, work dir and confinement; null for a plain session. */
  readonly isolation: IsolationInfo | null;
}

/** Sessions that still hold (or are about to hold) processes. */
export function isLive(status: SessionStatus): boolean {
  return status !== 'terminated';
}

const SECRET_KEY = /key|token|secret|password|credential/i;

/** llmConfig as shown to anyone: secret-looking keys masked at every depth. */
export function redactLlmConfig(config: Record<string, unknown>): Record<string, unknown> {
  const redact = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(redact);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '***' : redact(v)]),
      );
    }
    return value;
  };
  return redact(config) as Record<string, unknown>;
}

/** "exit code 3" or "signal SIGKILL": how the contract words an exit in errors. */
export function describeExit(exit: { code: number | null; signal: string | null }): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
