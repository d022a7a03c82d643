import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statePaths } from '../../src/contract/paths.js';
import { ensureDaemon } from '../../src/control/autostart.js';
import { Harness } from '../cli/harness.js';
import { expectAllGone, waitFor } from '../helpers/proc.js';
import { fixture } from '../process/shell.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

describe('ensureDaemon', { timeout: 30_000 }, () => {
  // A killed daemon's last threads hold its instance lock a few ms after /proc shows it a zombie: a
  // start then loses the lock to a daemon that is going, and nothing would answer.
  it('started while a daemon on its way out holds the lock, it starts one again once that daemon is gone', async () => {
    const holder = execa(process.execPath, [fixture('hold-lock.mjs'), h.home, '1000'], { stdin: 'ignore', stdout: 'ignore' });
    await waitFor(() => h.daemonPid() === holder.pid, 'the stand-in to hold the lock');
    const { status, started } = await ensureDaemon(statePaths(h.home), 5000);
    await holder;
    await expectAllGone([holder.pid!]);
    expect(started).toBe(true);
    expect(status.pid).toBe(h.daemonPid());
    expect(status.pid).not.toBe(holder.pid);
    h.noteDaemon();
  });
});
