// The daemon's cgroups over its life: detected at start, groups a dead daemon left swept, parents
// removed when it stops; a paused session dies with a SIGKILLed daemon and comes back paused.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import type { DaemonStatus } from '../../src/control/protocol.js';
import { cannotRun } from '../cgroup/harness.js';
import { expectAllGone, killAll, runningDescendants } from '../helpers/proc.js';
import { Harness, waitFor } from '../cli/harness.js';

let h: Harness;
const strays: number[] = [];
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  try {
    await h.teardown();
  } finally {
    killAll(strays.splice(0));
  }
});

const parentsOf = (status: DaemonStatus) => Object.values(status.cgroups!.parents) as string[];

describe.skipIf(cannotRun)(`the daemon's cgroups${cannotRun ? ` (skipped: ${cannotRun})` : ''}`, { timeout: 60_000 }, () => {
  it('a start sweeps the groups a dead daemon left (killing what they hold); a stop removes the parents', async () => {
    await h.cli(['daemon', 'start']);
    const parents = parentsOf(await h.json<DaemonStatus>(['daemon', 'status']));
    expect(parents.length).toBeGreaterThan(0);
    expect((await h.cli(['daemon', 'stop'])).exitCode).toBe(0);
    for (const parent of parents) expect(existsSync(parent)).toBe(false);

    // What a SIGKILLed daemon leaves: its parents, a group in each, a process inside.
    const ghost = spawn('/bin/sleep', ['1000'], { stdio: 'ignore' });
    strays.push(ghost.pid!);
    for (const parent of parents) {
      mkdirSync(join(parent, 's-ghost'), { recursive: true });
      writeFileSync(join(parent, 's-ghost', 'cgroup.procs'), String(ghost.pid));
    }
    await h.cli(['daemon', 'start']);
    await expectAllGone([ghost.pid!]);
    for (const parent of parents) expect(existsSync(join(parent, 's-ghost'))).toBe(false);
  });

  it('a paused session obeys the no-orphan promise: the daemon SIGKILLed, every process of it is gone within 3 s; the next start brings it back paused', async () => {
    const session = await h.create(['--id', 'dormant', '--command', 'tree=/bin/sh -c "sleep 1000 & sleep 1000 & wait"']);
    expect((await h.cli(['pause', 'dormant'])).exitCode).toBe(0);
    const supervisor = session.supervisorPid!;
    const old = [supervisor, ...runningDescendants(supervisor)];
    expect(old.length).toBeGreaterThanOrEqual(4);
    process.kill(h.daemonPid()!, 'SIGKILL');
    const took = await expectAllGone(old, 3000);
    expect(took).toBeLessThan(3000);
    await h.cli(['daemon', 'start']);
    const back = await waitFor(async () => {
      const info = await h.json<SessionInfo>(['info', 'dormant']);
      return info.status === 'paused' ? info : null;
    }, 'the session back, paused');
    h.noteSession(back);
    expect(back.supervisorPid).not.toBe(session.supervisorPid);
  });
});
