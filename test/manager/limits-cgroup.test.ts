// Limits, pause and the final kill through a real SessionManager in real cgroups (as the daemon detects them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionCgroup, type CgroupSupport } from '../../src/cgroup/index.js';
import { CgroupFixture, cannotRun } from '../cgroup/harness.js';
import { expectAllGone, isRunning, killAll, waitFor } from '../helpers/proc.js';
import { groupsLeft, limitsFixture, logLines, MiB, unifiedGroup } from './bounds-harness.js';
import { Harness } from './harness.js';

let h: Harness | undefined;
let cgroups: CgroupFixture;
const strays: number[] = [];
afterEach(async () => {
  try {
    await h?.close();
  } finally {
    h = undefined;
    killAll(strays.splice(0));
    expect(await cgroups.cleanup()).toEqual([]);
  }
});

function withCgroups(options: ConstructorParameters<typeof Harness>[0] = {}): { h: Harness; support: CgroupSupport } {
  cgroups = new CgroupFixture();
  const support = cgroups.detect();
  h = new Harness({ heartbeatMs: 100, ...options, cgroups: support });
  return { h, support };
}

describe.skipIf(cannotRun)(`sessions in cgroups${cannotRun ? ` (skipped: ${cannotRun})` : ''}`, { timeout: 60_000 }, () => {
  it('memoryMax: the kernel kills the child past it, reported as memory and restarted; a bystander is untouched', async () => {
    // Heartbeats of 1 s: a child slowed by reclaim near its limit must not be taken for hung first.
    const { h } = withCgroups({ heartbeatMs: 1000 });
    const bystander = await h.create({ id: 'bystander' });
    const before = await h.manager.getSessionInfo(bystander);
    const id = await h.create({ id: 'greedy', memoryMax: 150 * MiB, maxRestarts: 100, children: [{ name: 'alloc', file: limitsFixture('alloc.mjs') }] });
    const info = await h.manager.getSessionInfo(id);
    expect(info.limits).toEqual({ memoryMax: 150 * MiB, cpuMax: null, maxProcesses: null, ttlMs: null, idleTerminateMs: null, enforcement: 'cgroup' });
    const exited = await h.waitEvent((e) => e.session === id && e.type === 'child.exited', 'the OOM kill');
    expect(exited).toMatchObject({ child: 'alloc', signal: 'SIGKILL', reason: 'memory' });
    await h.waitEvent((e) => e.session === id && e.type === 'child.restarted', 'the restart');
    expect((await h.manager.getSessionInfo(id)).supervisorPid).toBe(info.supervisorPid);
    const after = await h.manager.getSessionInfo(bystander);
    expect(after).toMatchObject({ status: 'active', restarts: 0, supervisorPid: before.supervisorPid });
    expect(after.children[0]!.pid).toBe(before.children[0]!.pid);
    expect(h.events.filter((e) => e.session === bystander && e.type === 'child.exited')).toEqual([]);
  });

  it('stats come from the group: memory as its limit counts it', async () => {
    const { h, support } = withCgroups();
    const id = await h.create({ id: 'counted' });
    const stats = await waitFor(async () => {
      const { stats } = await h.manager.getSessionInfo(id);
      return stats.memory > 0 ? stats : null;
    }, 'stats');
    const charged = SessionCgroup.open(support, id).stats().memoryBytes!;
    // Read a moment apart: the same counter, not the processes' RSS (which is several times larger with Node's binary).
    expect(Math.abs(stats.memory - charged)).toBeLessThan(20 * MiB);
  });

  it('maxProcesses: forks past pids.max are refused, inside the session only', async () => {
    // Heartbeats of 1 s: each spawn blocks the child's loop, and on a loaded host 30 of them outlast three 100 ms beats.
    const { h } = withCgroups({ heartbeatMs: 1000 });
    const id = await h.create({ id: 'forker', maxProcesses: 40, children: [{ name: 'forks', file: limitsFixture('forks.mjs'), env: { FORKS: '40' } }] });
    const line = await waitFor(() => logLines(h, id, 'forks').find((l) => l.startsWith('{')), 'the fork tally');
    const tally = JSON.parse(line) as { started: number; refused: number };
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.started).toBeLessThan(40);
    expect((await h.manager.getSessionInfo(id)).limits.enforcement).toBe('cgroup');
  });

  it('cpuMax: the group is held back to its quota', async () => {
    const { h, support } = withCgroups();
    const id = await h.create({ id: 'spinner', cpuMax: 20, children: [{ name: 'spin', file: limitsFixture('spin.mjs') }] });
    const group = SessionCgroup.open(support, id);
    await waitFor(() => (group.stats().cpuThrottled ?? 0) > 0, 'the group to be throttled');
    // A free spinner shows ~100 %: the quota keeps the whole group near 20 % from its start.
    expect((await h.manager.getSessionInfo(id)).stats.cpu).toBeLessThan(35);
  });

  it('the final kill of a stop reaches a process that left its group and scrubbed its environment', async () => {
    const { h } = withCgroups();
    const id = await h.create({ id: 'escaper', children: [{ name: 'escape', file: limitsFixture('escape.mjs') }] });
    const escaped = Number((await waitFor(() => logLines(h, id, 'escape').find((l) => l.startsWith('escaped ')), 'the escaped pid')).split(' ')[1]);
    strays.push(escaped);
    expect(readFileSync(`/proc/${escaped}/environ`, 'utf8')).toBe('');
    expect(isRunning(escaped)).toBe(true);
    await h.manager.terminateSession(id);
    await expectAllGone([escaped], 1000);
  });

  it('pause freezes the children leaf, not the supervisor: its log stands still, no heartbeat counts as missed; resume goes on; a paused session terminates', async () => {
    const { h, support } = withCgroups();
    const id = await h.create({ id: 'frozen', children: [{ name: 'beats', file: limitsFixture('beats.mjs'), restart: 'temporary' }] });
    await waitFor(() => logLines(h, id, 'beats').length > 3, 'beats');
    await h.manager.pauseSession(id);
    expect((await h.manager.getSessionInfo(id)).status).toBe('paused');
    const events = unifiedGroup(support, id);
    if (support.freeze === 'v2') {
      expect(readFileSync(`${events}/children/cgroup.events`, 'utf8')).toMatch(/^frozen 1$/m);
      expect(readFileSync(`${events}/supervisor/cgroup.events`, 'utf8')).toMatch(/^frozen 0$/m);
    }
    const still = logLines(h, id, 'beats').length;
    // The one fixed wait: six heartbeats (100 ms) pass, and nothing beats, hangs or ends.
    await sleep(600);
    expect(logLines(h, id, 'beats').length).toBe(still);
    expect(h.events.filter((e) => e.session === id).map((e) => e.type)).toEqual(['session.created', 'child.started', 'session.active', 'session.paused']);
    await h.manager.resumeSession(id);
    expect((await h.manager.getSessionInfo(id)).status).toBe('active');
    await waitFor(() => logLines(h, id, 'beats').length > still + 3, 'beats after the resume');
    await h.manager.pauseSession(id);
    const pids = await h.snapshot(id);
    await h.manager.terminateSession(id);
    const info = await h.manager.getSessionInfo(id);
    expect(info).toMatchObject({ status: 'terminated', error: null });
    expect(info.children[0]!.lastExit).toMatchObject({ code: 0 });
    await expectAllGone(pids);
  });

  it('no group is left after 50 sessions come and go', async () => {
    const { h, support } = withCgroups();
    for (let batch = 0; batch < 5; batch++) {
      const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => h.create({ id: `cycle-${batch}-${i}`, ...(i % 2 ? { memoryMax: 300 * MiB } : {}) })));
      expect(groupsLeft(support).length).toBeGreaterThanOrEqual(10);
      await Promise.all(ids.map((id) => h.manager.terminateSession(id)));
    }
    // What is left is a spare's group (made while it idles), each with its spare's supervisor inside.
    const spares = () => new Set(h.manager.spares().map((s) => String(s.supervisorPid)));
    const holdsSpare = (dir: string) => readFileSync(join(dir, 'supervisor', 'cgroup.procs'), 'utf8').split('\n').some((pid) => spares().has(pid));
    await waitFor(() => groupsLeft(support).every(holdsSpare), 'only the spares\' groups left');
    // They go with the manager.
    await h.close();
    expect(groupsLeft(support)).toEqual([]);
  });
});
