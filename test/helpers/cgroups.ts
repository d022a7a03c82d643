import { detectCgroups, removeParents, sweepLeftovers } from '../../src/cgroup/index.js';

/**
 * Removes what a state dir's daemons left in the cgroup tree: a daemon SIGKILLed by a test leaves
 * its (empty) session groups for the next start on that dir, which never comes once the test's
 * temporary dir is gone. Run after the last daemon of `home` has stopped.
 */
export async function removeCgroupsOf(home: string): Promise<void> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return;
  const support = detectCgroups({ stateDir: home });
  if (support.mode === 'none') return;
  await sweepLeftovers(support);
  await removeParents(support);
}
