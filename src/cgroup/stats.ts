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

/** What `list` and `info` show of a group, read often: its memory and CPU time (two files). */
export type CgroupUsage = Pick<CgroupStats, 'memoryBytes' | 'cpuUsageUs'>;

export function readUsage(support: CgroupSupport, dirs: ReadonlyMap<Hierarchy, string>): CgroupUsage {
  const memory = memoryDir(support, dirs);
  const unified = dirs.get('unified');
  return {
    memoryBytes: memory ? numberIn(`${memory}/${support.memory === 'v2' ? 'memory.current' : 'memory.usage_in_bytes'}`) : null,
    cpuUsageUs:
      support.cpuUsage === 'v2' ? keyedValue(`${unified}/cpu.stat`, 'usage_usec')
      : support.cpuUsage === 'v1' ? nsToUs(numberIn(`${dirs.get('cpuacct')}/cpuacct.usage`))
      : null,
  };
}

/** Reads a session group's stats; every file is read whole, once. */
export function readStats(support: CgroupSupport, dirs: ReadonlyMap<Hierarchy, string>): CgroupStats {
  const memory = memoryDir(support, dirs);
  const v2Memory = support.memory === 'v2';
  const cpuDir = support.cpu === 'v2' ? dirs.get('unified') : support.cpu === 'v1' ? dirs.get('cpu') : undefined;
  return {
    ...readUsage(support, dirs),
    rssBytes: memory ? keyedValue(`${memory}/memory.stat`, v2Memory ? 'anon' : 'total_rss') : null,
    memoryPeakBytes: memory ? numberIn(`${memory}/${v2Memory ? 'memory.peak' : 'memory.max_usage_in_bytes'}`) : null,
    cpuThrottled: cpuDir ? keyedValue(`${cpuDir}/cpu.stat`, 'nr_throttled') : null,
    oomKills: readOomKills(support, dirs),
  };
}

/** Processes the kernel's OOM killer killed in the group. */
export function readOomKills(support: CgroupSupport, dirs: ReadonlyMap<Hierarchy, string>): number {
  const memory = memoryDir(support, dirs);
  return memory ? oomKills(memory, support.memory === 'v2') : 0;
}

function memoryDir(support: CgroupSupport, dirs: ReadonlyMap<Hierarchy, string>): string | undefined {
  return support.memory === 'v2' ? dirs.get('unified') : support.memory === 'v1' ? dirs.get('memory') : undefined;
}

// v2's memory.events counts the whole subtree; v1 counts a kill in the victim's own group only, so the leaves are summed.
function oomKills(dir: string, v2: boolean): number {
  if (v2) return keyedValue(`${dir}/memory.events`, 'oom_kill') ?? 0;
  return [dir, `${dir}/${SUPERVISOR_LEAF}`, `${dir}/${CHILDREN_LEAF}`].reduce((sum, group) => sum + (keyedValue(`${group}/memory.oom_control`, 'oom_kill') ?? 0), 0);
}

function nsToUs(ns: number | null): number | null {
  return ns === null ? null : Math.floor(ns / 1000);
}
