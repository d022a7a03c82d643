import { refusedLimits, type CgroupSupport } from '../cgroup/index.js';
import { SessiondError } from '../contract/errors.js';
import type { SessionSpec } from '../contract/spec.js';
import { NO_BOUNDS, type BoundsOptions } from './session-bounds.js';

/**
 * Whether a session may start, decided before anything of it exists: a limit the host cannot
 * enforce (cpuMax, maxProcesses without their controller) is refused with what is missing
 * (not_supported), and a create past `--max-sessions` with code capacity.
 */
export function admit(spec: SessionSpec, cgroups: CgroupSupport, capacity: { live: number; max: number } | null): void {
  const limits = { memoryMax: spec.memoryMax ?? null, cpuMax: spec.cpuMax ?? null, maxProcesses: spec.maxProcesses ?? null };
  const refused = refusedLimits(cgroups, limits);
  if (refused.length) throw new SessiondError('not_supported', `session ${spec.id} not created: ${refused.join('; ')}`);
  if (capacity && capacity.live >= capacity.max) {
    throw new SessiondError('capacity', `session ${spec.id} not created: sessiond is at its limit of ${capacity.max} sessions (--max-sessions); terminate one, or start the daemon with a higher --max-sessions`);
  }
}

/** The manager's cgroup options as every session's bounds take them. */
export function boundsOptions(options: { readonly cgroups?: CgroupSupport; readonly cgroupEverySession?: boolean }): BoundsOptions {
  if (!options.cgroups) return NO_BOUNDS;
  return { cgroups: options.cgroups, groupEverySession: options.cgroupEverySession ?? true };
}
