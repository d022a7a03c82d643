import { chmodSync } from 'node:fs';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { Harness } from '../cli/harness.js';

// Each test starts real sessions (some under bubblewrap) through the CLI: minutes on a loaded 2-core host.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

// The store holds every session's llm config (for resurrection): sessionctl says so when others may read it.

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

it('sessionctl warns when the state dir or the store can be read by others than its owner, and is silent when not', async () => {
  await h.create(['--llm-config', '{"api_key":"k"}']);
  expect((await h.cli(['list'])).stderr).not.toMatch(/warning/);
  chmodSync(h.home, 0o755);
  chmodSync(`${h.home}/state.db`, 0o644);
  const { stderr, exitCode } = await h.cli(['list']);
  expect(exitCode).toBe(0);
  expect(stderr).toMatch(new RegExp(`warning: the state dir ${h.home} can be read by others than its owner \\(mode 755\\): chmod 700`));
  expect(stderr).toMatch(/warning: the store \(llm configs, api keys included\) .*state\.db can be read by others .*mode 644.*chmod 600/);
  chmodSync(h.home, 0o700);
  chmodSync(`${h.home}/state.db`, 0o600);
});
