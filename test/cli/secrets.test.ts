import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { runningDescendants } from '../helpers/proc.js';
import { Harness } from './harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

const SECRET = 'sk-test-5f1d2c9e-never-in-proc';

it('llmConfig secrets show as *** and never appear in any session process cmdline or environ', async () => {
  const config = JSON.stringify({ model: 'm-1', api_key: SECRET, nested: { authToken: SECRET, temperature: 0.2 } });
  const session = await h.create(['--llm-config', config, '--metadata', 'k=v']);
  expect(session.llmConfig).toEqual({ model: 'm-1', api_key: '***', nested: { authToken: '***', temperature: 0.2 } });
  for (const view of [await h.cli(['info', session.id]), await h.cli(['list', '--json']), await h.cli(['info', session.id, '--json'])]) {
    expect(view.stdout).not.toContain(SECRET);
  }
  const [listed] = await h.json<SessionInfo[]>(['list']);
  expect(listed!.llmConfig).toEqual(session.llmConfig);

  const daemon = h.daemonPid()!;
  const pids = [daemon, ...runningDescendants(daemon)];
  expect(pids.length).toBeGreaterThanOrEqual(3);
  for (const pid of pids) {
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), `cmdline of ${pid}`).not.toContain(SECRET);
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8'), `environ of ${pid}`).not.toContain(SECRET);
  }
  expect(readFileSync(`${h.home}/logs/sessiond.log`, 'utf8')).not.toContain(SECRET);
});
