// The README's worked example of an agent session, run as written: each command of its block
// in bash, with `sessionctl` on PATH and SESSIOND_HOME set to this test's state dir.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import type { PublishedMessage } from '../../src/manager/message-log.js';
import { waitFor } from '../helpers/proc.js';
import { Harness } from './harness.js';

const REPO = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const MARKER = '<!-- The commands below are run one by one, as written, by test/cli/readme-agent.test.ts. -->';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

// The commands of the block after MARKER; the lines that are comments show their output.
function commands(): string[] {
  const start = README.indexOf(MARKER);
  expect(start, 'the README marks its worked example').toBeGreaterThan(0);
  const open = README.indexOf('```sh\n', start) + '```sh\n'.length;
  const block = README.slice(open, README.indexOf('```', open));
  return block.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

it('the README shows the example agent as it is in examples/', () => {
  const agent = readFileSync(join(REPO, 'examples', 'agent-session', 'agent.mjs'), 'utf8');
  expect(README).toContain('```js\n' + agent + '```');
});

it('the README’s agent session works as written: child add, send, messages, and the agent ends its session', { timeout: 60_000 }, async () => {
  const env = h.shellEnv();
  let cwd = REPO;
  const bash = (line: string) => execa('bash', ['-c', line], { cwd, env, reject: false, stdin: 'ignore', timeout: 30_000 });

  const steps = commands();
  expect(steps.map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual([
    'cd examples/agent-session',
    'id=$(sessionctl create --auto-shutdown',
    'sessionctl child add',
    'sessionctl send "$id"',
    'sessionctl messages --session',
    'sessionctl info "$id"',
    'sessionctl events --session',
  ]);
  const [cd, create, add, send, follow, info, events] = steps as [string, string, string, string, string, string, string];

  cwd = resolve(cwd, cd.slice('cd '.length).trim());
  const assignment = /^(\w+)=\$\((.*)\)$/.exec(create)!;
  const created = await bash(assignment[2]!);
  expect(created.exitCode, created.stderr).toBe(0);
  const id = created.stdout.trim();
  env[assignment[1]!] = id;
  h.noteDaemon();

  const added = await bash(add);
  expect(added.exitCode, added.stderr).toBe(0);
  expect(added.stdout).toMatch(/^\d+$/);
  expect(await h.cli(['llm-agent', id])).toMatchObject({ exitCode: 0, stdout: added.stdout });
  const session = await h.json<SessionInfo>(['info', id]);
  h.noteSession(session);
  expect(session.children.map((c) => [c.name, c.status, c.significant])).toEqual([['placeholder', 'running', false], ['llm_agent', 'running', true]]);

  const replied = await bash(send);
  expect(replied.exitCode, replied.stderr).toBe(0);
  expect(JSON.parse(replied.stdout)).toEqual({ accepted: 'summarize README.md', model: 'demo' });

  // The follower prints what the agent publishes and ends by itself with the session.
  const followed = await bash(follow);
  expect(followed.exitCode, followed.stderr).toBe(0);
  const messages = followed.stdout.trim().split('\n').map((line) => JSON.parse(line) as PublishedMessage);
  expect(messages.map((m) => [m.session, m.child, m.topic, m.data])).toEqual([
    [id, 'llm_agent', 'progress', { step: 'plan', done: 1, of: 3 }],
    [id, 'llm_agent', 'progress', { step: 'act', done: 2, of: 3 }],
    [id, 'llm_agent', 'progress', { step: 'check', done: 3, of: 3 }],
    [id, 'llm_agent', 'result', { task: 'summarize README.md', answer: 'done: summarize README.md' }],
  ]);

  await waitFor(async () => (await h.json<SessionInfo>(['info', id])).status === 'terminated', 'the session to end with its agent');
  const shown = await bash(info);
  expect(shown.exitCode).toBe(0);
  expect(shown.stdout).toMatch(/^status: +terminated$/m);
  expect(shown.stdout).not.toMatch(/^error:/m);
  const last = await bash(events);
  expect(last.exitCode).toBe(0);
  expect(last.stdout).toMatch(/session\.terminated +reason=auto_shutdown\n?$/);
});
