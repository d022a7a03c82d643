import type { ChildSpec, SessionSpec } from '../contract/spec.js';
import type { FromSupervisor } from '../ipc/supervisor-messages.js';
import { mirrorChildEvent, withChild } from './live-spec.js';

export type ChildEvent = Extract<FromSupervisor, { type: 'child' }>;

/**
 * The daemon's copy of what the supervisor owns: the session's spec as it is now (children
 * added, held or removed since its create), the children asked for and not yet reported added,
 * and the supervisor's restart count. Pure: changed only by the supervisor's child events.
 */
export interface SpecMirror {
  readonly spec: SessionSpec;
  /** Children asked for (child add) and not yet reported added: their specs, by name. */
  readonly adding: ReadonlyMap<string, ChildSpec>;
  readonly restarts: number;
}

export function mirrorOf(spec: SessionSpec): SpecMirror {
  return { spec, adding: new Map(), restarts: 0 };
}

/** A child asked for: the spec gets it only once the supervisor reports it added, even after the request timed out. */
export function asked(mirror: SpecMirror, child: ChildSpec): SpecMirror {
  withChild(mirror.spec, child); // refuses a name in use
  return { ...mirror, adding: new Map([...mirror.adding, [child.name, child]]) };
}

/** The mirror after a child event: the spec follows what the supervisor did (a child added, held, restarted or removed). */
export function mirrored(mirror: SpecMirror, message: ChildEvent): SpecMirror {
  const { child, event, restarts } = message;
  if (event !== 'added') return { ...mirror, restarts, spec: mirrorChildEvent(mirror.spec, event, child.name) };
  const adding = new Map(mirror.adding);
  adding.delete(child.name);
  return { spec: mirrorChildEvent(mirror.spec, event, child.name, message.spec ?? mirror.adding.get(child.name)), adding, restarts };
}
