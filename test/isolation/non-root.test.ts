import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { expectAllGone, runningDescendants } from '../helpers/proc.js';
import { requireIsolationHost, SESSIONCTL } from './harness.js';

// Each test starts real sessions (some under bubblewrap) through the CLI: minutes on a loaded 2-core host.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

// A daemon that is not root cannot give a session a uid of its own: an isolated create fails,
// saying so, and changes nothing; the daemon goes on serving plain sessions. The daemon runs as
// nobody, keeping only the right to read files (so that a checkout under /root still loads).

const NOBODY = 65534;
let home: string;
const seen = new Set<number>();

beforeEach(() => {
  requireIsolationHost();
  home = mkdtempSync(join(tmpdir(), 'sessiond-nobody-'));
  chownSync(home, NOBODY, NOBODY);
});

afterEach(async () => {
  await asNobody(['daemon', 'stop']);
  await expectAllGone([...seen], 8000);
  rmSync(home, { recursive: true, force: true });
});

function asNobody(args: string[]) {
  const caps = ['--inh-caps=+dac_read_search', '--ambient-caps=+dac_read_search'];
  return execa('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...caps, process.execPath, SESSIONCTL, '--home', home, ...args], { reject: false, stdin: 'ignore', timeout: 60_000 });
}

function noteDaemon(): number {
  const pid = Number(readFileSync(join(home, 'sessiond.pid'), 'utf8').trim());
  for (const p of [pid, ...runningDescendants(pid)]) seen.add(p);
  return pid;
}

it('a non-root daemon refuses --isolate, --read-only and --no-network, naming why, and keeps serving plain sessions', async () => {
  const plain = await asNobody(['create']);
  expect(plain.exitCode, plain.stderr).toBe(0);
  const daemon = noteDaemon();
  expect(readFileSync(`/proc/${daemon}/status`, 'utf8')).toMatch(new RegExp(`^Uid:\\s+${NOBODY}\\s`, 'm'));
  for (const flags of [['--isolate'], ['--read-only'], ['--no-network']]) {
    const refused = await asNobody(['create', ...flags]);
    expect(refused.exitCode, flags.join(' ')).toBe(1);
    expect(refused.stderr).toMatch(/need sessiond to run as root/);
  }
  const list = await asNobody(['list', '--json']);
  expect(JSON.parse(String(list.stdout)).map((s: { id: string }) => s.id)).toEqual([String(plain.stdout).trim()]);
  expect(noteDaemon()).toBe(daemon);
});
