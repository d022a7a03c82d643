import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionCgroup } from '../../src/cgroup/session-cgroup.js';
import { sweepLeftovers } from '../../src/cgroup/sweep.js';
import { NO_LIMITS } from '../../src/limits/limits.js';
import { expectAllGone, waitFor } from '../helpers/proc.js';
import { CgroupFixture, cannotRun } from './harness.js';

describe.skipIf(cannotRun)(`a session group's life${cannotRun ? ` (skipped: ${cannotRun})` : ''}`, () => {
  let cgroups: CgroupFixture;
  afterEach(async () => expect(await cgroups.cleanup()).toEqual([]));

  it('create makes one directory per hierarchy; remove takes them all, twice without complaint', async () => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect();
    const id = `session_${'x'.repeat(120)}`;
    const group = SessionCgroup.create(support, id);
    expect(group.paths.length).toBe(new Set(Object.values(support.parents)).size);
    for (const dir of group.paths) expect(existsSync(dir)).toBe(true);
    expect(await group.remove()).toBe(true);
    for (const dir of group.paths) expect(existsSync(dir)).toBe(false);
    expect(await group.remove()).toBe(true);
    expect(await SessionCgroup.open(support, 'never-made').remove()).toBe(true);
    expect(await SessionCgroup.open(support, 'never-made').killAll()).toBe(true);
    expect(SessionCgroup.open(support, 'never-made').pids()).toEqual([]);
  });

  it('a child forked inside is inside from its start; remove waits for the last process to leave', async () => {
    cgroups = new CgroupFixture();
    const group = SessionCgroup.create(cgroups.detect(), 'tree');
    const { child, lines } = await cgroups.startIn(group, 'escape.mjs');
    const grandchild = Number(await waitFor(() => lines[0], 'the grandchild pid'));
    cgroups.track(grandchild);
    expect(group.pids()).toContain(grandchild);
    expect(await group.remove(100)).toBe(false);
    child.kill('SIGKILL');
    process.kill(grandchild, 'SIGKILL');
    expect(await group.remove(2000)).toBe(true);
    for (const dir of group.paths) expect(existsSync(dir)).toBe(false);
  });

  it('names that could be interface files are safe; bad names are refused', () => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect();
    for (const name of ['tasks', 'cgroup.procs', 'memory.max']) expect(SessionCgroup.create(support, name).paths.every(existsSync)).toBe(true);
    for (const name of ['../x', 'a/b', '', '.hidden', 'x'.repeat(201)]) expect(() => SessionCgroup.create(support, name)).toThrow(/must match/);
  });

  it('a limit the host cannot enforce is refused before anything is created', () => {
    cgroups = new CgroupFixture();
    const support = { ...cgroups.detect(), cpu: null };
    expect(() => SessionCgroup.create(support, 'refused', { ...NO_LIMITS, cpuMax: 50 })).toThrow(expect.objectContaining({ code: 'not_supported' }));
    expect(SessionCgroup.open(support, 'refused').paths.some(existsSync)).toBe(false);
  });

  it('a name reused: an empty leftover is made anew, one that still holds processes is refused', async () => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect();
    const first = SessionCgroup.create(support, 'again', { ...NO_LIMITS, maxProcesses: 50 });
    const second = SessionCgroup.create(support, 'again');
    expect(second.paths).toEqual(first.paths);
    await cgroups.startIn(second, 'heartbeat.mjs');
    expect(() => SessionCgroup.create(support, 'again')).toThrow(expect.objectContaining({ code: 'already_exists' }));
  });

  it('addProcess of a pid that is gone fails, naming the group', () => {
    cgroups = new CgroupFixture();
    const group = SessionCgroup.create(cgroups.detect(), 'gone');
    expect(() => group.addProcess(999_999_999)).toThrow(/cannot move pid 999999999 into cgroup .*: (ESRCH|EINVAL)/);
  });

  it('sweepLeftovers: the next daemon kills what a dead one left in its groups and removes them', async () => {
    cgroups = new CgroupFixture();
    const before = cgroups.detect();
    const left = SessionCgroup.create(before, 'left-behind', { ...NO_LIMITS, memoryMax: 64 * 1024 * 1024 });
    SessionCgroup.create(before, 'left-empty');
    // A "dead daemon's" child: spawned detached, so nothing of this test holds it but the group.
    const orphan = spawn('/bin/sleep', ['1000'], { detached: true, stdio: 'ignore' });
    cgroups.track(orphan.pid!);
    left.addProcess(orphan.pid!);
    const after = cgroups.detect();
    expect(after.parents).toEqual(before.parents);
    expect((await sweepLeftovers(after)).sort()).toEqual(['left-behind', 'left-empty']);
    await expectAllGone([orphan.pid!]);
    for (const dir of [...left.paths, ...SessionCgroup.open(after, 'left-empty').paths]) expect(existsSync(dir)).toBe(false);
    expect(await sweepLeftovers(after)).toEqual([]);
  });
});
