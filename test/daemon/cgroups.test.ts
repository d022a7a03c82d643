// The daemon's cgroups over its life: detected at start, groups a dead daemon left swept, parents
// removed when it stops; a paused session outlives the daemon's SIGKILL paused.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import type { DaemonStatus } from '../../src/control/protocol.js';
import { cannotRun } from '../cgroup/harness.js';
import { expectAllGone, killAll } from '../helpers/proc.js';
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

  it('a paused session outlives the daemon SIGKILL: the next start kills its frozen processes and brings it back paused', async () => {
    const session = await h.create(['--id', 'dormant']);
    expect((await h.cli(['pause', 'dormant'])).exitCode).toBe(0);
    const old = [session.supervisorPid!, session.children[0]!.pid!];
    process.kill(h.daemonPid()!, 'SIGKILL');
    await h.cli(['daemon', 'start']);
    await expectAllGone(old, 5000);
    const back = await waitFor(async () => {
      const info = await h.json<SessionInfo>(['info', 'dormant']);
      return info.status === 'paused' ? info : null;
    }, 'the session back, paused');
    h.noteSession(back);
    expect(back.supervisorPid).not.toBe(session.supervisorPid);
  });
});
