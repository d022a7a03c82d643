// The README's "Many hosts" block, run as written: its daemons (the lines ending in `&`) started
// in bash each, the rest as one bash script, with sessiond and sessionctl on PATH and NATS_URL,
// STATE set to this test's nats-server and dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { Harness, SESSIONCTL } from '../cli/harness.js';
import { SESSIOND, waitFor } from './harness.js';
import { NatsServer } from './nats-server.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const MARKER = '<!-- The commands below are run as written by test/cluster/readme-cluster.test.ts';

const homes = [new Harness(), new Harness()];
const work = new Harness();
let nats: NatsServer | undefined;
const daemons: ChildProcess[] = [];
afterAll(async () => {
  for (const home of homes) home.noteDaemon();
  await Promise.allSettled([...homes, work].map((h) => h.teardown()));
  for (const d of daemons) d.kill('SIGKILL');
  await nats?.close();
}, 60_000);

function block(): string[] {
  const start = README.indexOf(MARKER);
  expect(start, 'the README marks its cluster example').toBeGreaterThan(0);
  const open = README.indexOf('```sh\n', start) + '```sh\n'.length;
  return README.slice(open, README.indexOf('```', open)).split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'));
}

it('the README’s cluster example works as written', { timeout: 120_000 }, async () => {
  nats = await NatsServer.start();
  const bin = join(work.home, 'bin');
  mkdirSync(bin);
  for (const [name, file] of [['sessionctl', SESSIONCTL], ['sessiond', SESSIOND]] as const) {
    writeFileSync(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${file}" "$@"\n`);
    chmodSync(join(bin, name), 0o755);
  }
  // The two state dirs of the example are these tests' homes, as "$STATE/a" and "$STATE/b".
  const state = join(work.home, 'state');
  mkdirSync(state);
  symlinkSync(homes[0]!.home, join(state, 'a'));
  symlinkSync(homes[1]!.home, join(state, 'b'));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NATS_URL: nats.url, STATE: state };

  const lines = block();
  const background = lines.filter((l) => l.trimEnd().endsWith('&'));
  expect(background).toHaveLength(2);
  for (const line of background) {
    const daemon = spawn('bash', ['-c', `exec ${line.trimEnd().slice(0, -1)}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    daemons.push(daemon);
    let out = '';
    daemon.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    daemon.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    await waitFor(() => out.includes('listening on') || (daemon.exitCode !== null && Promise.reject(new Error(out))), `the daemon of: ${line}`, 30_000, 50);
  }
  const script = lines.filter((l) => !background.includes(l));
  const result = await execa('bash', ['-c', ['set -euo pipefail', ...script].join('\n')], { env, reject: false, stdin: 'ignore', timeout: 60_000 });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toMatch(/^NAME\s+STATE\s+SESSIONS/m);
  expect(result.stdout).toMatch(/host-a\s+up/);
  expect(result.stdout).toMatch(/^on-b\s+host-b\s+active/m);
  const info = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'), result.stdout.lastIndexOf('}') + 1)) as SessionInfo;
  expect(info).toMatchObject({ node: expect.stringMatching(/^host-[ab]$/), reachable: true, metadata: { task: 'demo' } });
});
