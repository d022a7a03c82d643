import pidusage from 'pidusage';
import type { SessionStats } from '../contract/session.js';
import { allStats } from '../process/proc.js';

/** cpu % and memory bytes summed over pids; a pid that exits meanwhile counts for nothing. */
export async function statsOf(pids: readonly number[]): Promise<SessionStats> {
  const results = await Promise.allSettled(pids.map((pid) => pidusage(pid)));
  let cpu = 0;
  let memory = 0;
  for (const result of results) {
    if (result.status !== 'fulfilled') continue;
    cpu += result.value.cpu;
    memory += result.value.memory;
  }
  return { cpu: Math.round(cpu * 10) / 10, memory };
}

export const NO_STATS: SessionStats = { cpu: 0, memory: 0 };

/** Running processes by process group, from one read of /proc: a session's children lead theirs. */
export function processGroups(): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const { pid, pgrp, state } of allStats()) {
    if (state === 'Z' || state === 'X') continue;
    const members = groups.get(pgrp) ?? [];
    members.push(pid);
    groups.set(pgrp, members);
  }
  return groups;
}
