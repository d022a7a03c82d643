import { registryKey } from '../contract/ids.js';
import { redactLlmConfig, type Enforcement, type SessionInfo, type SessionLimits, type SessionStats } from '../contract/session.js';
import type { SessionSpec } from '../contract/spec.js';
import type { ChildState } from '../ipc/supervisor-messages.js';
import type { ProcessPins } from '../process/pins.js';
import { SUPERVISOR } from '../process/pins.js';
import type { SessionRecord } from '../store/sessions.js';
import { NO_STATS } from './stats.js';

/** What a session is at one moment: its record, less what only the store needs. */
export type SessionState = Omit<SessionRecord, 'id' | 'supervisorStartTime' | 'children'> & {
  readonly children: readonly ChildState[];
  /** How the session's limits are enforced, once it knows (see contract/session.ts). */
  readonly enforcement?: Enforcement;
};

/** A stored session as the contract shows it: its processes are another daemon's, so no stats. */
export function storedSessionInfo(record: SessionRecord): SessionInfo {
  const children = record.children.map(({ startTime: _, ...child }) => ({ ...child, nextRestartAt: child.nextRestartAt ?? null }));
  return toSessionInfo({ ...record, children }, NO_STATS);
}

/** The contract's session JSON: llmConfig redacted, stats given. */
export function toSessionInfo(state: SessionState, stats: SessionStats): SessionInfo {
  const { spec } = state;
  return {
    id: spec.id,
    status: state.status,
    registryKey: registryKey(spec.id),
    supervisorPid: state.supervisorPid,
    children: state.children.map((child, i) => {
      const childSpec = spec.children.find((c) => c.name === child.name) ?? spec.children[i];
      return { ...child, cwd: childSpec?.cwd ?? '/', significant: childSpec?.significant ?? false, nextRestartAt: child.nextRestartAt ?? null };
    }),
    restarts: state.restarts,
    strategy: spec.strategy,
    autoShutdown: spec.autoShutdown ?? 'never',
    limits: limitsOf(spec, state.enforcement ?? null),
    metadata: { ...spec.metadata },
    llmConfig: redactLlmConfig(spec.llmConfig),
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    error: state.error,
    stats,
    isolation: isolationOf(spec),
  };
}

function isolationOf(spec: SessionSpec): SessionInfo['isolation'] {
  if (!spec.isolation) return null;
  const { uid, gid, workDir, readOnly, network, enforcement } = spec.isolation;
  return { uid, gid, workDir, readOnly, network, enforcement };
}

function limitsOf(spec: SessionSpec, enforcement: Enforcement): SessionLimits {
  const { memoryMax = null, cpuMax = null, maxProcesses = null, ttlMs = null, idleTerminateMs = null } = spec;
  const limited = memoryMax !== null || cpuMax !== null || maxProcesses !== null;
  return { memoryMax, cpuMax, maxProcesses, ttlMs, idleTerminateMs, enforcement: limited ? enforcement : null };
}

/** What the store keeps of a session: enough to show it, and to bring it back. */
export function toSessionRecord(state: SessionState, pins: ProcessPins): SessionRecord {
  return {
    id: state.spec.id,
    spec: state.spec,
    status: state.status,
    error: state.error,
    restarts: state.restarts,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    supervisorPid: state.supervisorPid,
    supervisorStartTime: pins.startTime(SUPERVISOR, state.supervisorPid),
    children: state.children.map((child) => ({ ...child, startTime: pins.startTime(child.name, child.pid) })),
  };
}
