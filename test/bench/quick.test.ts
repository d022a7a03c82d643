// The bench's smoke mode runs end to end: it finishes, prints the table and writes the JSON.
// sessiond and the floor only: PM2 and supervisord stay out so the test needs no network.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-quick-'));
  await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(repo, 'bench/tsconfig.json')], { cwd: repo });
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('npm run bench -- --quick finishes, prints the table and writes the JSON', async () => {
  const out = join(dir, 'latest.json');
  // A variable that makes every Node start do work: the run unsets it for all it starts, and says so.
  const bundle = join(dir, 'extra-ca.pem');
  await writeFile(bundle, '');
  const { stdout } = await run(process.execPath, [join(repo, 'bench/dist/run.js'), '--quick', '--only', 'sessiond,floor', '--out', out], {
    cwd: repo,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle },
    timeout: 300_000, // a smoke run of every scenario; on a loaded machine it takes minutes
  });
  expect(stdout).toMatch(/\| figure +\| sessiond +\| floor +\|/);
  expect(stdout).toContain('unset for the run: NODE_EXTRA_CA_CERTS');
  expect(stdout).toContain('crash (SIGKILL worker) → replacement ready');
  expect(stdout).toContain('Targets (issues 5 and 11)');

  const json = JSON.parse(await readFile(out, 'utf8')) as { figures: Array<{ key: string; summary: Record<string, { n: number } | null> }>; machine: { unsetEnv: string[] } };
  expect(json.machine.unsetEnv).toContain('NODE_EXTRA_CA_CERTS');
  const keys = json.figures.map((f) => f.key);
  for (const key of ['startup.supervisor', 'startup.placeholder', 'create.client', 'create.cli', 'create.cli_startup', 'create.child', 'create.spare_pss', 'crash.replacement_ready', 'terminate.cooperative', 'terminate.ignoring', 'orphans.last_gone']) {
    expect(keys).toContain(key);
  }
  // sessiond runs with its defaults, so with a spare: its idle PSS is measured.
  for (const key of ['startup.supervisor', 'startup.placeholder', 'create.spare_pss', 'send.round_trip', 'send.throughput']) {
    expect(json.figures.find((f) => f.key === key)!.summary.sessiond?.n).toBeGreaterThan(0);
  }
  expect(stdout).toContain('send round trip p50 via SessionClient ≤ 2 ms');
  const crash = json.figures.find((f) => f.key === 'crash.replacement_ready')!;
  expect(crash.summary.sessiond?.n).toBeGreaterThan(0);
  expect(crash.summary.floor?.n).toBeGreaterThan(0);
}, 320_000);
