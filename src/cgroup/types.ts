/** The hierarchies sessiond may use: the v2 (unified) one, and the v1 ones of the controllers it needs. */
export type Hierarchy = 'unified' | 'memory' | 'pids' | 'cpu' | 'cpuacct' | 'freezer';

export const V1_CONTROLLERS = ['memory', 'pids', 'cpu', 'cpuacct', 'freezer'] as const;
export type V1Controller = (typeof V1_CONTROLLERS)[number];

/** Which cgroup version provides a function, or null when the host offers it nowhere writable. */
export type Via = 'v2' | 'v1' | null;

/**
 * What the daemon found and what it uses for what: `daemon status --json`'s `cgroups`, as is
 * (plain JSON). Sessions go into `<parent>/s-<name>` in each hierarchy of `parents`.
 */
export interface CgroupSupport {
  /** `v2`: the unified hierarchy alone; `hybrid`: v1 controllers with the v2 hierarchy; `none`: no cgroup. */
  readonly mode: 'v2' | 'hybrid' | 'v1' | 'none';
  /** Why the mode is `none`; null otherwise. */
  readonly reason: string | null;
  /** The daemon's parent group, `sessiond-<hash of the state dir>`, under its own group in each hierarchy. */
  readonly parentName: string;
  /** The parent's directory in each hierarchy used. */
  readonly parents: Readonly<Partial<Record<Hierarchy, string>>>;
  /** memoryMax: v2 memory.max, v1 memory.limit_in_bytes. */
  readonly memory: Via;
  /** cpuMax: v2 cpu.max, v1 cpu.cfs_quota_us. */
  readonly cpu: Via;
  /** CPU time for stats: v2 cpu.stat usage_usec, v1 cpuacct.usage. */
  readonly cpuUsage: Via;
  /** maxProcesses: pids.max. */
  readonly pids: Via;
  /** pause: v2 cgroup.freeze, v1 freezer.state. */
  readonly freeze: Via;
  /** The final SIGKILL of a stop: v2 cgroup.kill (else every pid of cgroup.procs, in a loop). */
  readonly kill: 'v2' | null;
  /** What was tried and not used, and why (for a person reading `daemon status`). */
  readonly notes: readonly string[];
}

/** The functions a CgroupSupport assigns to a version, in one list for loops. */
export const FUNCTIONS = ['memory', 'cpu', 'cpuUsage', 'pids', 'freeze', 'kill'] as const;
export type CgroupFunction = (typeof FUNCTIONS)[number];

/** Where a function lives for a version: the hierarchy and the interface file that proves it is there. */
export const PROOF: Readonly<Record<CgroupFunction, { v2: string | null; v1: readonly [V1Controller, string] | null }>> = {
  memory: { v2: 'memory.max', v1: ['memory', 'memory.limit_in_bytes'] },
  cpu: { v2: 'cpu.max', v1: ['cpu', 'cpu.cfs_quota_us'] },
  cpuUsage: { v2: 'cpu.stat', v1: ['cpuacct', 'cpuacct.usage'] },
  pids: { v2: 'pids.max', v1: ['pids', 'pids.max'] },
  freeze: { v2: 'cgroup.freeze', v1: ['freezer', 'freezer.state'] },
  kill: { v2: 'cgroup.kill', v1: null },
};

/** The hierarchy a function uses for a version. */
export function hierarchyOf(fn: CgroupFunction, via: 'v2' | 'v1'): Hierarchy {
  if (via === 'v2') return 'unified';
  const v1 = PROOF[fn].v1;
  if (!v1) throw new Error(`${fn} has no cgroup v1 hierarchy`);
  return v1[0];
}
