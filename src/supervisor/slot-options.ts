import { DEFAULTS } from '../contract/defaults.js';
import { childLogFile } from '../contract/paths.js';
import type { ExitInfo } from '../contract/session.js';
import type { ChildSpec, SessionSpec } from '../contract/spec.js';
import type { ChildInit } from '../ipc/child-messages.js';
import type { SupervisorInit } from '../ipc/supervisor-messages.js';
import type { ChildrenLeaf } from '../cgroup/children-leaf.js';
import type { LogRotation, LogSink } from '../logs/child-log.js';
import { relayOn } from '../logs/log-relay.js';
import type { ChildSlot } from './child-slot.js';
import type { NodeResolve } from './node-flags.js';

/** What a ChildSlot tells its owner. */
export interface SlotHooks {
  /** Run `run` exited without being asked to stop (a crash, or a normal exit). */
  onExit(slot: ChildSlot, exit: ExitInfo, run: number): void;
  /** It stopped answering pings (the owner decides: the supervisor kills it with `kill('hung')`). */
  onHung(slot: ChildSlot): void;
  onActivity(slot: ChildSlot): void;
  /** A run was spawned: its pid is known before it is ready. */
  onSpawned(slot: ChildSlot): void;
  onPublish(slot: ChildSlot, topic: string, data: unknown): void;
}

export interface SlotOptions {
  readonly init: Omit<ChildInit, 'name'>;
  readonly startTimeoutMs: number;
  readonly missedHeartbeats: number;
  /** Its log file, or where its records are relayed (an isolated session's); null: nowhere. */
  readonly logPath: string | LogSink | null;
  readonly logRotation?: LogRotation | undefined;
  readonly nodeResolve?: NodeResolve | undefined;
  /** Stopped on request (it comes back stopped). */
  readonly held?: boolean;
  /** The session's children leaf: each run enters it before its program runs; a frozen leaf misses no heartbeat. */
  readonly leaf?: ChildrenLeaf | undefined;
}

/** A child's options from its session and the daemon's settings for every child (its log, how Node finds 'sessiond/child'). */
export function slotOptions(session: SessionSpec, init: Omit<SupervisorInit, 'session'>, child: ChildSpec, held: boolean): SlotOptions {
  const childInit = { session: session.id, metadata: { ...session.metadata }, llmConfig: { ...session.llmConfig }, heartbeatMs: init.heartbeatMs };
  const logPath = logTarget(init, child.name);
  return { init: childInit, startTimeoutMs: init.startTimeoutMs, missedHeartbeats: DEFAULTS.missedHeartbeats, logPath, logRotation: init.logRotation, nodeResolve: init.nodeResolve, leaf: init.childrenLeaf, held };
}

// Where a child's log goes: its file, or (an isolated session's, which cannot open it) the daemon's relay pipe.
function logTarget(init: Omit<SupervisorInit, 'session'>, child: string): string | LogSink | null {
  if (init.logFd !== undefined) return (relay ??= relayOn(init.logFd))(child);
  return init.logDir ? childLogFile(init.logDir, child) : null;
}
let relay: ((child: string) => LogSink) | undefined;
