// A command that has to start the daemon says so on stderr when that takes over a second
// (issue 19: a first `npx sessionctl create` took 10 s with no word). The daemon is slowed
// here on purpose, by a preload that only the daemon's process runs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Harness } from './harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

it('says "starting sessiond…" on stderr while a slow autostart goes on, and nothing once the daemon runs', { timeout: 60_000 }, async () => {
  const slow = join(h.home, 'slow-daemon.cjs');
  writeFileSync(slow, "if (process.argv[1]?.endsWith('sessiond.js')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);\n");
  const home = join(h.home, 'state');
  const env = { NODE_OPTIONS: `--require ${slow}` };
  const first = await h.cli(['create'], { home, env });
  expect(first.exitCode, first.stderr).toBe(0);
  expect(first.stdout).toMatch(/^session_/);
  expect(first.stderr).toBe('starting sessiond…');
  const again = await h.cli(['create'], { home, env });
  expect(again).toMatchObject({ exitCode: 0, stderr: '' });
  await h.cli(['daemon', 'stop'], { home });
});
