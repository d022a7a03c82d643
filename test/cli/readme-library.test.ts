// The README's Library section, run as written from a project of its own: a fresh folder that
// depends on this checkout as the README says (a path dependency), its agent and both snippets
// saved as files there and run with node, and its `sessionctl create` line run in bash. Two
// things differ from the README, and only these: the state dir (`/tmp/sessiond-demo` becomes
// this test's own) and the web server's port (8080 becomes a free one), so that tests can run
// side by side; and `npm install` gets `--ignore-scripts --no-audit --no-fund` (the checkout is
// built already: its prepare script would only build it again).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { expectAllGone, tempHome } from '../helpers/proc.js';
import { Harness } from './harness.js';

const REPO = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const MARKER = '<!-- test/cli/readme-library.test.ts runs this agent, the two snippets after it and the create below it, as written. -->';

let h: Harness;
let project: ReturnType<typeof tempHome>;
beforeEach(() => {
  h = new Harness();
  project = tempHome('sessiond-project-');
});
afterEach(async () => {
  await h.teardown();
  project.cleanup();
});

// The code blocks of a language after `from`, in order.
function blocks(language: string, from: number): string[] {
  const found: string[] = [];
  for (let at = README.indexOf('```' + language + '\n', from); at >= 0; at = README.indexOf('```' + language + '\n', at + 1)) {
    const open = at + language.length + 4;
    found.push(README.slice(open, README.indexOf('```', open)));
  }
  return found;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('a fresh project depends on sessiond as the README says, runs its agent, both library snippets and the create line', { timeout: 240_000 }, async () => {
  const marker = README.indexOf(MARKER);
  expect(marker, 'the README marks its library example').toBeGreaterThan(0);
  const install = blocks('sh', README.indexOf('### Depending on sessiond'))[0]!.split('\n').find((line) => line.startsWith('npm install ~/src/sessiond '))!;
  const [agent, manager, client] = blocks('js', marker) as [string, string, string];
  expect(agent).toBe(readFileSync(join(REPO, 'examples', 'library', 'agent.mjs'), 'utf8'));
  const create = /`(sessionctl create --child llm_agent=\.\/agent\.mjs [^`]*)`/.exec(README.slice(marker))![1]!;
  const port = String(await freePort());
  const asHere = (code: string) => code.replaceAll("'/tmp/sessiond-demo'", JSON.stringify(h.home)).replaceAll('8080', port);

  const dir = join(project.dir, 'my-app');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }));
  const command = install.replace(/#.*$/, '').trim().replace('~/src/sessiond', REPO);
  const installed = await execa('bash', ['-c', `${command} --ignore-scripts --no-audit --no-fund`], { cwd: dir, reject: false, timeout: 180_000 });
  expect(installed.exitCode, installed.stderr).toBe(0);
  writeFileSync(join(dir, 'agent.mjs'), agent);
  writeFileSync(join(dir, 'demo.mjs'), asHere(manager));
  writeFileSync(join(dir, 'client.mjs'), asHere(client));

  // SessionManager in the project's own process: every session ends with it.
  const demo = await execa('node', ['demo.mjs'], { cwd: dir, reject: false, timeout: 60_000 });
  expect(demo.exitCode, demo.stderr + demo.stdout).toBe(0);
  expect(demo.stdout).toContain("got: { task: 'fix the bug' }, model: 'm'");
  expect(demo.stdout).toContain(`3 a tool ran in ${dir}\n`);
  expect(demo.stdout).toMatch(/session\.terminated session_/);
  const [, agentPid, supervisorPid] = /^(\d+) (\d+) session_supervisor:session_/m.exec(demo.stdout)!;
  await expectAllGone([Number(agentPid), Number(supervisorPid)], 5000);

  // The create line: the agent stays up beside the web server, and answers.
  const env = { PATH: `${join(dir, 'node_modules', '.bin')}:${process.env.PATH}`, SESSIOND_HOME: h.home };
  const created = await execa('bash', ['-c', asHere(create)], { cwd: dir, env, reject: false, timeout: 60_000 });
  expect(created.exitCode, created.stderr).toBe(0);
  const id = created.stdout.trim();
  h.noteDaemon();
  const reply = await h.cli(['send', id, '--child', 'llm_agent', '{"task":"x"}']);
  expect(reply.exitCode, reply.stderr).toBe(0);
  expect(JSON.parse(reply.stdout)).toEqual({ got: { task: 'x' }, model: 'no model configured' });
  const session = await h.json<SessionInfo>(['info', id]);
  h.noteSession(session);
  expect(session.status).toBe('active');
  expect(session.children.map((c) => [c.name, c.status, c.restarts])).toEqual([['llm_agent', 'running', 0], ['web', 'running', 0]]);

  // SessionClient through the daemon (the one the create started); its follower ends with the session.
  const viaDaemon = await execa('node', ['client.mjs'], { cwd: dir, reject: false, timeout: 60_000 });
  expect(viaDaemon.exitCode, viaDaemon.stderr).toBe(0);
  expect(viaDaemon.stdout).toContain("{ got: { task: 'fix the bug' }, model: 'no model configured' }");
  expect(viaDaemon.stdout).toContain("progress { got: { task: 'fix the bug' } }");
});
