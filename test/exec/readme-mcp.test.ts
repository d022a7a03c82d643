// The README's MCP example, run as written: each command of its block in bash, with `sessionctl`
// on PATH and SESSIOND_HOME set to this test's state dir; the server stays up between clients.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { Harness } from '../cli/harness.js';

const REPO = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const MARKER = '<!-- The commands below are run as written by test/exec/readme-mcp.test.ts. -->';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

function block(): { commands: string[]; outputs: string[] } {
  const start = README.indexOf(MARKER);
  expect(start, 'the README marks its MCP example').toBeGreaterThan(0);
  const open = README.indexOf('```sh\n', start) + '```sh\n'.length;
  const lines = README.slice(open, README.indexOf('```', open)).split('\n').filter((line) => line.trim() !== '');
  return { commands: lines.filter((l) => !l.startsWith('#')), outputs: lines.filter((l) => l.startsWith('# ')).map((l) => l.slice(2).split(/\s{2,}/)[0]!) };
}

it('the README shows the client’s transport as examples/mcp-session/client.mjs has it', () => {
  const client = readFileSync(join(REPO, 'examples', 'mcp-session', 'client.mjs'), 'utf8');
  const transport = client.split('\n').find((line) => line.includes('new StdioClientTransport'))!;
  expect(README).toContain('```js\n' + transport + '\n```');
});

it('the README’s MCP server in a session answers the SDK’s stdio client over sessionctl attach, twice', { timeout: 90_000 }, async () => {
  const env = h.shellEnv();
  let cwd = REPO;
  const bash = (line: string) => execa('bash', ['-c', line], { cwd, env, reject: false, stdin: 'ignore', timeout: 60_000 });
  const { commands, outputs } = block();
  expect(commands.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual(['cd examples/mcp-session', 'id=$(sessionctl create)', 'sessionctl child', 'node client.mjs', 'node client.mjs']);
  const [cd, create, add, ...clients] = commands as [string, string, string, ...string[]];
  cwd = resolve(cwd, cd.slice('cd '.length));
  const made = await bash(create.slice('id=$('.length, -1));
  expect(made.exitCode, made.stderr).toBe(0);
  env.id = made.stdout.trim();
  h.noteDaemon();
  const added = await bash(add);
  expect(added.exitCode, added.stderr).toBe(0);
  for (const [i, line] of clients.entries()) {
    const answered = await bash(line);
    // On a failure, what the server said (its log) says why.
    if (answered.exitCode !== 0) expect.fail(`${line}: exit ${answered.exitCode}, ${answered.stderr}\nserver log:\n${(await bash('sessionctl logs "$id" --child mcp')).stdout}\ndaemon log:\n${(await bash('tail -n 30 "$SESSIOND_HOME"/logs/sessiond.log "$SESSIOND_HOME"/logs/supervisors.log')).stdout}`);
    expect(answered.stdout.trim()).toBe(outputs[i]!.trim());
  }
  const session = JSON.parse((await bash('sessionctl info "$id" --json')).stdout) as SessionInfo;
  h.noteSession(session);
  expect(session.children.find((c) => c.name === 'mcp')).toMatchObject({ status: 'running', restarts: 0, pid: Number(added.stdout.trim()) });
});
