import { SessionCgroup, supportFor, type CgroupSupport } from '../cgroup/index.js';
import { SUPERVISOR_LEAF } from '../cgroup/children-leaf.js';
import { errorMessage } from '../contract/errors.js';
import { NO_LIMITS } from '../limits/limits.js';
import type { BoundsOptions } from './session-bounds.js';

/**
 * The cgroups of spares, made while they idle so that a create does no cgroup write on the
 * daemon's thread: each spare's group is the one a session without limits would get (named
 * after the spare's reserved id, under the daemon's parent, so a start's sweep finds it), its
 * supervisor moved in at once (it forks nothing before its `spare` message), its Placeholder
 * born in the children leaf. The session that takes the spare takes its group too
 * (session-bounds.ts); a spare that goes untaken takes its group with it.
 */
export class SpareGroups {
  private readonly support: CgroupSupport;

  private constructor(cgroups: CgroupSupport, private readonly warn: (message: string) => void) {
    this.support = supportFor(cgroups, NO_LIMITS);
  }

  /** Groups for spares where every session gets one; none otherwise (a create then makes its own, or none). */
  static for(bounds: BoundsOptions, warn: (message: string) => void): SpareGroups | undefined {
    return bounds.groupEverySession && bounds.cgroups.mode !== 'none' ? new SpareGroups(bounds.cgroups, warn) : undefined;
  }

  /** The spare's group with its supervisor inside; null (the spare runs without one) when the kernel refuses. */
  make(id: string, supervisor: number): SessionCgroup | null {
    let group: SessionCgroup | null = null;
    try {
      group = SessionCgroup.create(this.support, id);
      group.addProcess(supervisor, SUPERVISOR_LEAF);
      return group;
    } catch (error) {
      this.warn(`spare ${id}: no cgroup made ahead (the create that takes it makes one): ${errorMessage(error)}`);
      if (group) void group.remove();
      return null;
    }
  }

  /** An untaken spare's group: whatever it still holds SIGKILLed, then removed (what cannot be yet, the next start sweeps). */
  drop(group: SessionCgroup): Promise<void> {
    return group.release((message) => this.warn(`spare ${group.name}: ${message}`));
  }
}
