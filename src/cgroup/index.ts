// Cgroups for sessions: detect what the host offers, one group per session, sweep what a dead daemon left.
export { detectCgroups, noCgroups, parentNameFor, type DetectOptions } from './detect.js';
export { enforcementOf, limitWrites, needsWatchdog, refusedLimits, cpuQuotaUs, supportFor, type LimitWrite } from './limit-writes.js';
export { SessionCgroup, groupDirName } from './session-cgroup.js';
export type { CgroupStats } from './stats.js';
export { removeParents, sweepLeftovers } from './sweep.js';
export type { CgroupSupport, Hierarchy, Via } from './types.js';
