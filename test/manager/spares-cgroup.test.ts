// A spare's cgroup is made while it idles, so a default create does no cgroup write but its limits:
// the session that takes the spare takes its group, and a spare that goes untaken takes it along.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProcCgroup } from '../../src/cgroup/proc-cgroup.js';
import { cannotRun } from '../cgroup/harness.js';
import { isRunning, waitFor } from '../helpers/proc.js';
import { groupsLeft, inCgroups, MiB } from './bounds-harness.js';
import { fixture, readySpare } from './harness.js';

/** The group (`s-…`) and leaf a process is in, in the pids hierarchy. */
function groupOf(pid: number): string {
  const path = parseProcCgroup(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).v1.get('pids')!;
  return path.split('/').slice(-2).join('/');
}

describe.skipIf(cannotRun)(`spares in cgroups${cannotRun ? ` (skipped: ${cannotRun})` : ''}`, { timeout: 60_000 }, () => {
  const withCgroups = inCgroups();
  it('an idle spare is in a group of its own, its Placeholder born in the children leaf; a default create takes the group with it', async () => {
    const { h, support } = withCgroups();
    const spare = await readySpare(h);
    const group = groupOf(spare.supervisorPid).split('/')[0]!;
    expect(groupOf(spare.supervisorPid)).toBe(`${group}/supervisor`);
    expect(groupOf(spare.placeholderPid)).toBe(`${group}/children`);
    const id = await h.manager.createSession({});
    expect(group).toBe(`s-${id}`);
    expect(groupOf(spare.supervisorPid)).toBe(`s-${id}/supervisor`);
    expect(groupOf(spare.placeholderPid)).toBe(`s-${id}/children`);
    // The session's cpu counts from the create, not from the spare's own start-up.
    const { stats } = await h.manager.getSessionInfo(id);
    expect(stats!.cpu).toBeLessThan(100);
    await h.manager.terminateSession(id);
    expect(groupsLeft(support).some((dir) => dir.endsWith(`/s-${id}`))).toBe(false);
  });

  it('a create with an id of its own is in a group of that name (the spare\'s renamed on v1, else a new one, and the spare\'s goes); a default one with limits has them written in the spare\'s', async () => {
    const { h, support } = withCgroups();
    let spare = await readySpare(h);
    let spareGroup = groupOf(spare.supervisorPid).split('/')[0]!;
    const named = await h.create({ id: 'named', children: [{ name: 'worker', file: fixture('exit-on-signal.mjs') }] });
    expect(groupOf(spare.supervisorPid)).toBe('s-named/supervisor');
    const worker = (await h.manager.getSessionInfo(named)).children[0]!.pid!;
    expect(groupOf(worker)).toBe('s-named/children');
    await waitFor(() => !groupsLeft(support).some((dir) => dir.endsWith(`/${spareGroup}`)), 'the spare\'s own group to go');

    spare = await readySpare(h);
    spareGroup = groupOf(spare.supervisorPid).split('/')[0]!;
    const limited = await h.manager.createSession({ memoryMax: 300 * MiB });
    expect(groupOf(spare.supervisorPid)).toBe(`s-${limited}/supervisor`);
    expect(groupOf(spare.placeholderPid)).toBe(`s-${limited}/children`);
    expect(spareGroup).toBe(`s-${limited}`);
    expect(readFileSync(`${support.parents.memory}/s-${limited}/memory.limit_in_bytes`, 'utf8').trim()).toBe(String(300 * MiB));
    expect((await h.manager.getSessionInfo(limited)).limits.enforcement).toBe('cgroup');

    // cpuMax, where the cpu controller is v1: a hierarchy a spare's group has not (cgroup/limit-writes.ts supportFor), joined at the create.
    spare = await readySpare(h);
    const capped = await h.manager.createSession({ cpuMax: 50 });
    const inCpu = (pid: number) => parseProcCgroup(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).v1.get('cpu') ?? null;
    if (support.cpu === 'v1') {
      expect(inCpu(spare.supervisorPid)).toMatch(new RegExp(`/s-${capped}/supervisor$`));
      expect(inCpu(spare.placeholderPid)).toMatch(new RegExp(`/s-${capped}/children$`));
    }
    expect(groupOf(spare.supervisorPid)).toBe(`s-${capped}/supervisor`);
  });

  it('a spare that dies untaken takes its group along; the manager\'s end takes every spare\'s', async () => {
    const { h, support } = withCgroups();
    const spare = await readySpare(h);
    const group = groupOf(spare.supervisorPid).split('/')[0]!;
    process.kill(spare.supervisorPid, 'SIGKILL');
    await waitFor(() => !isRunning(spare.placeholderPid) && !groupsLeft(support).some((dir) => dir.endsWith(`/${group}`)), 'the dead spare and its group to go');
    await readySpare(h);
    await h.close();
    expect(groupsLeft(support)).toEqual([]);
  });
});
