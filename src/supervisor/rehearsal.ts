import { DEFAULTS } from '../contract/defaults.js';
import { toSupervisor, type SpareInit } from '../ipc/supervisor-messages.js';
import { NO_LIMITS } from '../limits/limits.js';
import { Supervisor } from './supervisor.js';

/**
 * A spare's rehearsal of its session's start, while its Placeholder loads. V8 compiles each
 * function on its first call, and its inline caches learn their shapes on the first runs: a
 * create's init would pay for that on its path. It checks an init like the one a default create
 * of this spare sends, builds that session's Supervisor and makes its reports, which go nowhere:
 * nothing is spawned, opened, signalled, sent or kept.
 */
export function rehearse(spare: SpareInit): void {
  const parsed = toSupervisor.safeParse({ type: 'init', init: rehearsalInit(spare) });
  if (!parsed.success || parsed.data.type !== 'init') return;
  const { session, ...options } = parsed.data.init;
  new Supervisor(session, options, () => undefined, () => undefined).rehearse();
}

/** The init of a default session of the spare's id: its Placeholder, the contract's defaults, no log dir (no file is opened). */
export function rehearsalInit(spare: SpareInit): unknown {
  const session = {
    id: spare.session,
    metadata: {},
    llmConfig: {},
    children: [spare.placeholder],
    strategy: DEFAULTS.strategy,
    maxRestarts: DEFAULTS.maxRestarts,
    maxSeconds: DEFAULTS.maxSeconds,
    autoShutdown: 'never',
    ...NO_LIMITS,
    ttlMs: null,
    idleTerminateMs: null,
  };
  return { session, heartbeatMs: DEFAULTS.heartbeatMs, startTimeoutMs: DEFAULTS.startTimeoutMs, logDir: null, ...(spare.childrenLeaf ? { childrenLeaf: spare.childrenLeaf } : {}) };
}

/**
 * A minor GC, as the spare goes ready: its young generation (the start-up's garbage, and the
 * rehearsal's) is swept now rather than by a scavenge that falls on a create's path, where one
 * cost a spare supervisor ~3 ms of CPU (with the rehearsal it fell there on most creates, without
 * it on one in ten). `gc` is there as the daemon starts supervisors with --expose-gc
 * (SUPERVISOR_NODE_ARGS); one started otherwise goes without.
 */
export function sweepYoung(): void {
  (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc?.({ type: 'minor' });
}
