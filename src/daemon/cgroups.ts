import type { Logger } from 'pino';
import { detectCgroups, removeParents, sweepLeftovers, type CgroupSupport } from '../cgroup/index.js';

/** `sessiond --cgroups`: `auto` uses what the host offers, `off` none (memoryMax is then watched by the daemon). */
export const CGROUP_MODES = ['auto', 'off'] as const;
export type CgroupMode = (typeof CGROUP_MODES)[number];

/**
 * The daemon's cgroups, once at its start (after the lock, before any session): what the host
 * offers, and the groups a daemon of this state dir left when it died, emptied and removed.
 */
export async function prepareCgroups(stateDir: string, mode: CgroupMode, log: Logger): Promise<CgroupSupport> {
  const support = detectCgroups({ stateDir, enabled: mode !== 'off' });
  if (support.mode === 'none') log.info({ cgroups: support }, `cgroups: none (${support.reason}); memoryMax is watched by the daemon, cpuMax and maxProcesses are refused`);
  else log.info({ cgroups: support }, `cgroups: ${support.mode}`);
  if (support.mode === 'none') return support;
  const swept = await sweepLeftovers(support);
  if (swept.length) log.info({ swept }, `removed ${swept.length} cgroup(s) the last daemon left`);
  return support;
}

/** Removes the daemon's parent groups once its sessions' processes are gone (their groups went with them). */
export async function releaseCgroups(support: CgroupSupport, log: Logger): Promise<void> {
  if (support.mode === 'none') return;
  if (!(await removeParents(support))) log.warn({ parents: support.parents }, 'cgroups: a parent group could not be removed; the next start sweeps it');
}
