import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { StatsSampler } from '../../src/manager/stats.js';
import { allStats, readStat, runningInGroup } from '../../src/process/proc.js';
import { expectAllGone, killAll, waitFor } from '../helpers/proc.js';

interface Session {
  readonly leaders: number[];
}

const started: ChildProcess[] = [];
// Each leads a process group of its own, as a session's children do.
const leader = async (command: string, args: string[]) => {
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  started.push(child);
  // Sampled once it runs its program: between fork and exec a process has no resident pages of its own yet.
  await waitFor(() => (readStat(child.pid!)?.rssPages ?? 0) > 0 && readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim() === command, `${command} to run`);
  return child.pid!;
};
const rss = (pid: number) => readStat(pid)!.rssPages * 4096;

afterEach(async () => {
  const pids = started.flatMap((c) => [c.pid!, ...runningInGroup(c.pid!)]);
  killAll(pids);
  await expectAllGone(pids);
  started.length = 0;
});

describe('StatsSampler', () => {
  it("counts a leader started after the last read of /proc at once, and its group's other processes from the next read", async () => {
    const sampler = new StatsSampler<Session>((s) => s.leaders);
    const first: Session = { leaders: [await leader('sleep', ['1000'])] };
    expect((await sampler.of([first])).get(first)!.memory).toBeGreaterThan(0);

    // A session created right after: its leader is not in that read, and is read on its own.
    const shell = await leader('sh', ['-c', 'sleep 1000 & wait']);
    const second: Session = { leaders: [shell] };
    const member = (await waitFor(() => runningInGroup(shell).find((pid) => pid !== shell), 'the shell to start its sleep'))!;
    expect((await sampler.of([second])).get(second)!.memory).toBeGreaterThanOrEqual(rss(shell));

    // Once the sample and the read are old enough, the group's sleep counts too.
    await waitFor(async () => (await sampler.of([second])).get(second)!.memory >= rss(shell) + rss(member), "the group's sleep counted");
  });

  it('counts the groups a leader started apart from its own, as a supervisor starts its execs', async () => {
    const sampler = new StatsSampler<Session>((s) => s.leaders);
    // A supervisor-like parent in this test's group, and under it an exec-like shell leading a group of its own, with a sleep in it.
    const parent = spawn('sh', ['-c', 'setsid sh -c "sleep 1000 & wait" & wait'], { stdio: 'ignore' });
    const exec = await waitFor(() => allStats().find((s) => s.ppid === parent.pid && s.pgrp === s.pid), 'the exec-like shell');
    const sleeper = await waitFor(() => runningInGroup(exec.pid).find((pid) => pid !== exec.pid && rss(pid) > 0 && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep'), 'its sleep');
    try {
      const session: Session = { leaders: [parent.pid!] };
      await waitFor(async () => (await sampler.of([session])).get(session)!.memory >= rss(parent.pid!) + rss(exec.pid) + rss(sleeper!), 'the exec and its sleep counted');
    } finally {
      killAll([parent.pid!, exec.pid, sleeper!]);
      await expectAllGone([parent.pid!, exec.pid, sleeper!]);
    }
  });
});
