// A session's two leaves: the supervisor in one, its children born in the other, where
// maxProcesses counts them alone (the contract: the supervisor's tasks do not count).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CgroupSupport } from '../../src/cgroup/index.js';
import { parseProcCgroup } from '../../src/cgroup/proc-cgroup.js';
import { cannotRun } from '../cgroup/harness.js';
import { runningDescendants, waitFor } from '../helpers/proc.js';
import { inCgroups, logLines } from './bounds-harness.js';

/** A test that needs a tool fails, saying how to install it; it never skips silently. */
function requireTool(name: string, debian: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${name} is not installed: apt-get update && apt-get install -y ${debian} (.ci/run does this)`);
  }
}

const pidsDir = (support: CgroupSupport, id: string, leaf: string): string => join(support.parents.pids!, `s-${id}`, leaf);
const pidsCurrent = (support: CgroupSupport, id: string): number => Number(readFileSync(`${pidsDir(support, id, 'children')}/pids.current`, 'utf8'));
const sleepsOf = (pid: number): number[] => runningDescendants(pid).filter((p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'sleep');

describe.skipIf(cannotRun)(`a session's supervisor and children leaves${cannotRun ? ` (skipped: ${cannotRun})` : ''}`, { timeout: 60_000 }, () => {
  const withCgroups = inCgroups();
  it('a child is born in the children leaf (its first act sees it there), the supervisor in its own', async () => {
    const { h } = withCgroups();
    const id = await h.create({ id: 'born', children: [{ name: 'where', command: '/bin/cat', args: ['/proc/self/cgroup'], restart: 'temporary' }] });
    const lines = await waitFor(() => (logLines(h, id, 'where').some((l) => l.startsWith('0::')) ? logLines(h, id, 'where') : null), 'the child to print its cgroups');
    const child = parseProcCgroup(lines.join('\n'));
    const info = await h.manager.getSessionInfo(id);
    const supervisor = parseProcCgroup(readFileSync(`/proc/${info.supervisorPid}/cgroup`, 'utf8'));
    for (const controller of ['memory', 'pids']) {
      expect(child.v1.get(controller)).toMatch(new RegExp(`/s-born/children$`));
      expect(supervisor.v1.get(controller)).toMatch(new RegExp(`/s-born/supervisor$`));
    }
    expect(child.unified).toMatch(/\/s-born\/children$/);
    expect(supervisor.unified).toMatch(/\/s-born\/supervisor$/);
  });

  it('--max-processes 20: a shell that starts 19 sleeps gets them all', async () => {
    const { h, support } = withCgroups();
    const script = 'i=0; while [ $i -lt 19 ]; do sleep 1000 & i=$((i+1)); done; echo started; wait';
    const id = await h.create({ id: 'nineteen', maxProcesses: 20, children: [{ name: 'sh', command: '/bin/sh', args: ['-c', script] }] });
    await waitFor(() => logLines(h, id, 'sh').includes('started'), 'the shell to start its sleeps');
    const shell = (await h.manager.getSessionInfo(id)).children[0]!.pid!;
    // A forked child is the shell until it has exec'd sleep: wait for all 19 to be sleeps.
    await waitFor(() => sleepsOf(shell).length === 19, 'all 19 sleeps to run');
    expect(sleepsOf(shell).length).toBe(19);
    expect(logLines(h, id, 'sh')).toEqual(['started']);
    expect(pidsCurrent(support, id)).toBe(20);
    expect(readFileSync(`${pidsDir(support, id, 'children')}/pids.max`, 'utf8').trim()).toBe('20');
    expect(readFileSync(`${pidsDir(support, id, 'supervisor')}/pids.max`, 'utf8').trim()).toBe('max');
    await h.snapshot(id);
  });

  it('stress-ng --fork 4 --fork-max 64 under --max-processes 40: the session stays active, its children at most 40 tasks', async () => {
    requireTool('stress-ng', 'stress-ng');
    const { h, support } = withCgroups();
    const id = await h.create({ id: 'forkbomb', maxProcesses: 40, children: [{ name: 'stress', command: 'stress-ng', args: ['--fork', '4', '--fork-max', '64', '--timeout', '60s'] }] });
    // Until the kernel has refused forks (pids.events counts them), sampling the task count on the way.
    let most = 0;
    await waitFor(() => {
      most = Math.max(most, pidsCurrent(support, id));
      return Number(/^max (\d+)$/m.exec(readFileSync(`${pidsDir(support, id, 'children')}/pids.events`, 'utf8'))?.[1] ?? 0) > 10;
    }, 'forks refused at pids.max', 20_000, 5);
    const info = await h.manager.getSessionInfo(id);
    expect(info).toMatchObject({ status: 'active', restarts: 0 });
    expect(info.children[0]).toMatchObject({ status: 'running', restarts: 0 });
    expect(most).toBeLessThanOrEqual(40);
    expect(h.events.filter((e) => e.session === id && e.type === 'child.exited')).toEqual([]);
  });
});
