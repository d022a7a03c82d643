import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, waitFor } from '../cli/harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(() => h.teardown());

describe("sessiond's own log under logrotate", { timeout: 30_000 }, () => {
  it('SIGUSR1 reopens it: after a rename, the next lines go to a new file at the old path', async () => {
    expect((await h.cli(['daemon', 'start'])).exitCode).toBe(0);
    const log = join(h.home, 'logs', 'sessiond.log');
    const rotated = `${log}.1`;
    renameSync(log, rotated); // what logrotate does, before it signals
    const first = await h.create(); // still written to the renamed file: the daemon holds it open
    expect(readFileSync(rotated, 'utf8')).toContain(first.id);
    expect(existsSync(log)).toBe(false);
    process.kill(h.daemonPid()!, 'SIGUSR1');
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('log reopened (SIGUSR1)'), 'the reopened log');
    expect(statSync(log).mode & 0o777).toBe(0o600);
    const second = await h.create();
    expect(readFileSync(log, 'utf8')).toContain(second.id);
    expect(readFileSync(rotated, 'utf8')).not.toContain(second.id);
    // The daemon is still serving (SIGUSR1 is no inspector for it).
    expect((await h.cli(['daemon', 'status'])).exitCode).toBe(0);
  });
});
