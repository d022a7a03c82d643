import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { detectCgroups } from '../../src/cgroup/detect.js';
import { SessionCgroup } from '../../src/cgroup/session-cgroup.js';
import { removeParents } from '../../src/cgroup/sweep.js';
import { delegateControllers } from '../../src/cgroup/v2-delegate.js';
import { expectAllGone, killAll, tempHome } from '../helpers/proc.js';
import { cannotRun } from './harness.js';

// The systemd case (a unit with Delegate=yes holding the daemon) on the v2 mount of this host: its
// memory, cpu and pids belong to v1 here, so the test delegates hugetlb, the one controller v2 has.
const ROOT = '/sys/fs/cgroup/unified';
const hugetlb = existsSync(`${ROOT}/cgroup.controllers`) && readFileSync(`${ROOT}/cgroup.controllers`, 'utf8').split(/\s+/).includes('hugetlb');
const why = cannotRun ?? (hugetlb ? null : `no controller on ${ROOT} to delegate`);

describe.skipIf(why)(`v2 delegation: no internal processes${why ? ` (skipped: ${why})` : ''}`, () => {
  const unit = `${ROOT}/sessiond-test-${randomUUID().slice(0, 8)}.service`;
  const leaf = `${unit}/sessiond-x-daemon`;
  const pids: number[] = [];
  let enabledAtRoot = false;

  const sleeperInUnit = (): number => {
    const sleeper = spawn('/bin/sleep', ['1000'], { stdio: 'ignore' });
    pids.push(sleeper.pid!);
    writeFileSync(`${unit}/cgroup.procs`, String(sleeper.pid));
    return sleeper.pid!;
  };
  const groupOf = (pid: number): string => /^0::(.*)$/m.exec(readFileSync(`/proc/${pid}/cgroup`, 'utf8'))![1]!;

  const setUp = (): void => {
    if (!readFileSync(`${ROOT}/cgroup.subtree_control`, 'utf8').includes('hugetlb')) {
      writeFileSync(`${ROOT}/cgroup.subtree_control`, '+hugetlb');
      enabledAtRoot = true;
    }
    mkdirSync(unit);
  };

  afterEach(async () => {
    const all = pids.splice(0);
    killAll(all);
    await expectAllGone(all);
    if (existsSync(unit) && readFileSync(`${unit}/cgroup.subtree_control`, 'utf8').trim()) writeFileSync(`${unit}/cgroup.subtree_control`, '-hugetlb');
    for (const dir of [leaf, unit]) if (existsSync(dir)) rmdirSync(dir);
    try {
      if (enabledAtRoot) writeFileSync(`${ROOT}/cgroup.subtree_control`, '-hugetlb');
    } catch {
      // EBUSY: a parallel run of this test delegates hugetlb too; the last one out disables it
    }
    enabledAtRoot = false;
    expect(existsSync(unit)).toBe(false);
  });

  it('a daemon alone in its unit moves into a leaf, and the unit hands its controllers down', () => {
    setUp();
    const daemon = sleeperInUnit();
    const notes: string[] = [];
    delegateControllers(unit, daemon, 'sessiond-x-daemon', notes, ['hugetlb']);
    expect(groupOf(daemon)).toBe(leaf.slice(ROOT.length));
    expect(readFileSync(`${unit}/cgroup.subtree_control`, 'utf8').trim()).toBe('hugetlb');
    expect(notes).toEqual([`cgroup v2: the daemon moved itself into ${leaf} (no internal processes)`]);
    // Already delegated: a second start changes nothing.
    delegateControllers(unit, daemon, 'sessiond-x-daemon', notes, ['hugetlb']);
    expect(notes.length).toBe(1);
  });

  it('a daemon that shares its group does not move, and says why', () => {
    setUp();
    const daemon = sleeperInUnit();
    const other = sleeperInUnit();
    const notes: string[] = [];
    delegateControllers(unit, daemon, 'sessiond-x-daemon', notes, ['hugetlb']);
    expect(groupOf(daemon)).toBe(unit.slice(ROOT.length));
    expect(notes).toEqual([expect.stringContaining(`holds other processes (${other})`)]);
    expect(existsSync(leaf)).toBe(false);
  });

  it('detection for a daemon in a unit nests the parent in the unit, and sessions in the parent, each in two leaves', async () => {
    setUp();
    const daemon = sleeperInUnit();
    const home = tempHome();
    const support = detectCgroups({ stateDir: home.dir, pid: daemon, versions: ['v2'] });
    home.cleanup();
    expect(support.parents).toEqual({ unified: `${unit}/${support.parentName}` });
    const group = SessionCgroup.create(support, 'in-unit');
    const [supervisor, child] = [0, 1].map(() => spawn('/bin/sleep', ['1000'], { stdio: 'ignore' }).pid!) as [number, number];
    pids.push(supervisor, child);
    group.addProcess(supervisor, 'supervisor');
    group.addProcess(child, 'children');
    expect(groupOf(supervisor)).toBe(`${unit.slice(ROOT.length)}/${support.parentName}/s-in-unit/supervisor`);
    expect(groupOf(child)).toBe(`${unit.slice(ROOT.length)}/${support.parentName}/s-in-unit/children`);
    expect(await group.killAll()).toBe(true);
    expect(await removeParents(support)).toBe(true);
  });
});
