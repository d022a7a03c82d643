import { keyedValue, numberIn } from './cgroup-fs.js';
import { CHILDREN_LEAF, SUPERVISOR_LEAF } from './children-leaf.js';
import type { CgroupSupport, Hierarchy } from './types.js';

/** A group's use as the kernel counts it; null where the host has no controller for it. */
export interface CgroupStats {
  /** Memory charged to the group, as its limit counts it (page cache included). */
  readonly memoryBytes: number | null;
  /** Anonymous memory: close to the sum of the processes' RSS, as pidusage reports it. */
  readonly rssBytes: number | null;
  /** The most memory the group was ever charged (v2 memory.peak, kernel ≥ 5.19; v1 max_usage_in_bytes). */
  readonly memoryPeakBytes: number | null;
  /** CPU time used by every process that ran in the group, cumulative: two samples give cpu %. */
  readonly cpuUsageUs: number | null;
  /** CFS periods in which cpuMax held the group back. */
  readonly cpuThrottled: number | null;
  /** Processes the kernel's OOM killer killed in the group. */
  readonly oomKills: number;
}

/** Reads a session group's stats; every file is read whole, once. */
export function readStats(support: CgroupSupport, dirs: ReadonlyMap<Hierarchy, string>): CgroupStats {
  const unified = dirs.get('unified');
  const memory = support.memory === 'v2' ? unified : support.memory === 'v1' ? dirs.get('memory') : undefined;
  const v2Memory = support.memory === 'v2';
  const cpuUsage =
    support.cpuUsage === 'v2' ? keyedValue(`${unified}/cpu.stat`, 'usage_usec')
    : support.cpuUsage === 'v1' ? nsToUs(numberIn(`${dirs.get('cpuacct')}/cpuacct.usage`))
    : null;
  const cpuDir = support.cpu === 'v2' ? unified : support.cpu === 'v1' ? dirs.get('cpu') : undefined;
  return {
    memoryBytes: memory ? numberIn(`${memory}/${v2Memory ? 'memory.current' : 'memory.usage_in_bytes'}`) : null,
    rssBytes: memory ? keyedValue(`${memory}/memory.stat`, v2Memory ? 'anon' : 'total_rss') : null,
    memoryPeakBytes: memory ? numberIn(`${memory}/${v2Memory ? 'memory.peak' : 'memory.max_usage_in_bytes'}`) : null,
    cpuUsageUs: cpuUsage,
    cpuThrottled: cpuDir ? keyedValue(`${cpuDir}/cpu.stat`, 'nr_throttled') : null,
    oomKills: memory ? oomKills(memory, v2Memory) : 0,
  };
}

// v2's memory.events counts the whole subtree; v1 counts a kill in the victim's own group only, so the leaves are summed.
function oomKills(dir: string, v2: boolean): number {
  if (v2) return keyedValue(`${dir}/memory.events`, 'oom_kill') ?? 0;
  return [dir, `${dir}/${SUPERVISOR_LEAF}`, `${dir}/${CHILDREN_LEAF}`].reduce((sum, group) => sum + (keyedValue(`${group}/memory.oom_control`, 'oom_kill') ?? 0), 0);
}

function nsToUs(ns: number | null): number | null {
  return ns === null ? null : Math.floor(ns / 1000);
}
