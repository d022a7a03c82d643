import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { errorMessage } from '../contract/errors.js';
import { sessionLogDir } from '../contract/paths.js';
import type { EffectTargets } from './session-effects.js';

/**
 * The start of a session's processes: its folder of logs, its supervisor, its cgroup (the
 * supervisor inside before its init) and the timers that watch it (start timeout, ttl). A throw here is the
 * session's start_failed, never the caller's.
 */
export function startSession(the: EffectTargets, guard: (what: string, handle: () => void) => void): void {
  try {
    spawn(the, guard);
    the.bounds.watch(the.createdAt, (ms) => guard('the ttl', () => void the.input({ kind: 'expired', ms })));
  } catch (error) {
    void the.input({ kind: 'start_failed', reason: `could not start: ${errorMessage(error)}` });
  }
}

function spawn(the: EffectTargets, guard: (what: string, handle: () => void) => void): void {
  const { id, options, link, bounds, children, clock } = the;
  const logDir = sessionLogDir(options.sessionsDir, id);
  // A terminated session's of the same id goes (asked first: rmSync's ENOENT costs more than the check).
  if (options.fresh && existsSync(logDir)) rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const { proc, spawned, group, startTimes } = options.spawnSupervisor();
  if (startTimes) children.pins.know(startTimes);
  link.attach(proc);
  // Into the session's cgroup before init: the supervisor forks nothing before it, so every
  // child is born inside (a spare's Placeholder, spawned already, goes in with it; a spare's
  // own group holds both already).
  bounds.prepare(group);
  bounds.enter(proc.pid, ...spawned);
  children.pinSupervisor(proc.pid);
  const { heartbeatMs, startTimeoutMs } = options;
  link.post({ type: 'init', init: { session: the.state().mirror.spec, heartbeatMs, startTimeoutMs, logDir, ...options.supervisor, ...bounds.childrenLeaf() } });
  // The supervisor times its children itself, so its error can name the child; this timer,
  // a little later, catches a supervisor that never answers.
  const reason = `supervisor not ready within ${startTimeoutMs} ms`;
  clock.watchStart(startTimeoutMs + 1000, () => guard('the start timeout', () => void the.input({ kind: 'start_failed', reason })));
}
