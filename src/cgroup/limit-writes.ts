import { SessiondError } from '../contract/errors.js';
import { hasLimits, type ResourceLimits } from '../limits/limits.js';
import { CHILDREN_LEAF } from './children-leaf.js';
import type { CgroupSupport, Hierarchy } from './types.js';

/** One interface file to write in a session's group; optional ones may be absent (no swap accounting). */
export interface LimitWrite {
  readonly hierarchy: Hierarchy;
  /** The leaf the file is in (maxProcesses counts the children alone), or null for the session's group. */
  readonly leaf: typeof CHILDREN_LEAF | null;
  readonly file: string;
  readonly value: string;
  readonly optional: boolean;
}

/** The CFS period sessiond uses, as systemd does: quota and period in µs. */
export const CPU_PERIOD_US = 100_000;
/** The kernel refuses a quota under 1 ms. */
export const MIN_CPU_QUOTA_US = 1000;

/** cpuMax in percent of one core → the quota per period (150 → 150 000 µs of each 100 000). */
export function cpuQuotaUs(percent: number): number {
  return Math.max(MIN_CPU_QUOTA_US, Math.round((percent / 100) * CPU_PERIOD_US));
}

/**
 * What to write, in order, to set limits in a session's groups: a pure function of what the host
 * offers, so each version's files are table-tested. Memory includes swap (memory.swap.max 0, v1
 * memsw), so a session cannot page out past its limit; v1's memsw must be set after the limit it
 * may not be below. The OOM killer is left on (the default): past the limit the kernel SIGKILLs
 * the group's largest process. A memoryMax without a memory controller is left to the watchdog;
 * cpuMax and maxProcesses without theirs are refused (not_supported), before anything is created.
 */
export function limitWrites(support: CgroupSupport, limits: ResourceLimits): LimitWrite[] {
  const refused = refusedLimits(support, limits);
  if (refused.length) throw new SessiondError('not_supported', refused.join('; '));
  const writes: LimitWrite[] = [];
  const put = (hierarchy: Hierarchy, file: string, value: string | number, optional = false, leaf: LimitWrite['leaf'] = null): void => {
    writes.push({ hierarchy, leaf, file, value: String(value), optional });
  };
  if (limits.memoryMax !== null && support.memory === 'v2') {
    put('unified', 'memory.max', limits.memoryMax);
    put('unified', 'memory.swap.max', 0, true);
  } else if (limits.memoryMax !== null && support.memory === 'v1') {
    put('memory', 'memory.limit_in_bytes', limits.memoryMax);
    put('memory', 'memory.memsw.limit_in_bytes', limits.memoryMax, true);
  }
  if (limits.cpuMax !== null) {
    const quota = cpuQuotaUs(limits.cpuMax);
    if (support.cpu === 'v2') put('unified', 'cpu.max', `${quota} ${CPU_PERIOD_US}`);
    else {
      put('cpu', 'cpu.cfs_period_us', CPU_PERIOD_US);
      put('cpu', 'cpu.cfs_quota_us', quota);
    }
  }
  // The contract's maxProcesses is the children's tasks: the supervisor's own threads do not count.
  if (limits.maxProcesses !== null) put(support.pids === 'v2' ? 'unified' : 'pids', 'pids.max', limits.maxProcesses, false, CHILDREN_LEAF);
  return writes;
}

/** The limits a host cannot enforce, one sentence each naming what is missing; memoryMax never (the watchdog takes it). */
export function refusedLimits(support: CgroupSupport, limits: ResourceLimits): string[] {
  const host = support.mode === 'none' ? `cgroups none: ${support.reason}` : `cgroups ${support.mode}, without a writable controller for it`;
  const refuse = (limit: string, controller: string): string =>
    `${limit} needs the ${controller} controller of a cgroup, which this host does not offer (${host}); run the daemon as root or under systemd with Delegate=yes (daemon install), or drop ${limit}`;
  const refused: string[] = [];
  if (limits.cpuMax !== null && !support.cpu) refused.push(refuse('cpuMax', 'cpu'));
  if (limits.maxProcesses !== null && !support.pids) refused.push(refuse('maxProcesses', 'pids'));
  return refused;
}

/** The daemon samples memory itself when memoryMax is asked and no memory controller is there. */
export function needsWatchdog(support: CgroupSupport, limits: ResourceLimits): boolean {
  return limits.memoryMax !== null && support.memory === null;
}

/**
 * `info`'s `limits.enforcement`: null without limits; `watchdog` when memory is sampled by the
 * daemon (memory is the only limit it can hold); else `cgroup`.
 */
export function enforcementOf(support: CgroupSupport, limits: ResourceLimits): 'cgroup' | 'watchdog' | null {
  if (!hasLimits(limits)) return null;
  return needsWatchdog(support, limits) ? 'watchdog' : 'cgroup';
}

/**
 * The hierarchies a session joins: every one the daemon uses, but a v1 cpu hierarchy only for a
 * session with cpuMax. A v1 cpu group is scheduled as one task against everything outside it
 * (CFS group scheduling): where the daemon runs at the root of that hierarchy, as on a hybrid
 * host, grouping a session without a quota would only shrink its share of a busy machine. Its
 * CPU time is then read from another hierarchy, or from /proc.
 */
export function supportFor(support: CgroupSupport, limits: ResourceLimits): CgroupSupport {
  if (support.cpu !== 'v1' || limits.cpuMax !== null || !support.parents.cpu) return support;
  const { cpu, ...parents } = support.parents;
  const sharesCpuDir = support.cpuUsage === 'v1' && parents.cpuacct === cpu;
  if (sharesCpuDir) delete parents.cpuacct;
  return { ...support, parents, cpuUsage: sharesCpuDir ? null : support.cpuUsage };
}
