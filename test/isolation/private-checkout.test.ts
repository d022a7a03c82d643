import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { expectAllGone, runningDescendants } from '../helpers/proc.js';
import { expectNothingIsolatedLeft, FIXTURES, requireIsolationHost, sharedDir } from './harness.js';

// sessiond installed where a session's user cannot read it (a checkout under /root, 0700): its
// isolated sessions still start, since what they run is copied where they can read it.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

const REPO = join(import.meta.dirname, '..', '..');
let checkout: string;
let home: string;
let shared: ReturnType<typeof sharedDir>;
const seen = new Set<number>();
const uids: number[] = [];

beforeEach(() => {
  requireIsolationHost();
  checkout = mkdtempSync(join(tmpdir(), 'sessiond-private-')); // 0700, root's
  cpSync(join(REPO, 'dist'), join(checkout, 'pkg', 'dist'), { recursive: true });
  cpSync(join(REPO, 'package.json'), join(checkout, 'pkg', 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(checkout, 'pkg', 'node_modules'));
  home = join(checkout, 'home');
  mkdirSync(home, { mode: 0o700 });
  shared = sharedDir([`${FIXTURES}/iso-agent.mjs`]);
});

afterEach(async () => {
  await ctl(['daemon', 'stop']);
  await expectAllGone([...seen], 8000);
  shared.cleanup();
  await expectNothingIsolatedLeft(home, uids);
  rmSync(checkout, { recursive: true, force: true });
});

function ctl(args: string[]) {
  return execa(process.execPath, [join(checkout, 'pkg', 'dist', 'src', 'cli', 'sessionctl.js'), '--home', home, ...args], { reject: false, stdin: 'ignore', timeout: 60_000 });
}

it('isolated sessions of a sessiond under a 0700 folder start: the Placeholder, and a Node child that imports sessiond/child', async () => {
  for (const args of [['create', '--isolate', '--json'], ['create', '--isolate', '--json', '--child', `agent=${shared.dir}/iso-agent.mjs`]]) {
    const created = await ctl(args);
    expect(created.exitCode, String(created.stderr)).toBe(0);
    const session = JSON.parse(String(created.stdout)) as SessionInfo;
    uids.push(session.isolation!.uid);
    expect(session.status).toBe('active');
    expect(session.supervisorPid).not.toBeNull();
    const daemon = (await ctl(['daemon', 'status', '--json'])).stdout;
    const pid = (JSON.parse(String(daemon)) as { pid: number }).pid;
    for (const p of [pid, ...runningDescendants(pid)]) seen.add(p);
  }
  const reply = await ctl(['send', (JSON.parse(String((await ctl(['list', '--json'])).stdout)) as SessionInfo[])[1]!.id, '{"op":"whoami"}']);
  expect(reply.exitCode, String(reply.stderr)).toBe(0);
  expect(JSON.parse(String(reply.stdout)).uid).toBe(uids[1]);
});
