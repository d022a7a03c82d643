import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { defaultIsolationRoot } from '../../src/isolation/isolation.js';
import { isRunning } from '../../src/process/proc.js';
import { Harness, SESSIONCTL, waitFor } from '../cli/harness.js';

export { Harness, SESSIONCTL, waitFor };

/** Isolation needs root and bubblewrap: a test without them fails saying how to get them (never a silent skip). */
export function requireIsolationHost(): void {
  if (process.getuid?.() !== 0) throw new Error('isolation tests need root: run them as root (sudo npm test), as CI does');
  try {
    execFileSync('bwrap', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('isolation tests need bubblewrap: apt-get install bubblewrap (CI: .ci/run installs it)');
  }
}

/** A folder every uid may read (a session's user cannot read the checkout if it sits under /root), with `files` copied in. */
export function sharedDir(files: readonly string[] = [], mode = 0o755): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync('/var/tmp/sessiond-iso-');
  chmodSync(dir, mode);
  for (const file of files) copyFileSync(file, join(dir, file.split('/').pop()!));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** Writes a spec of one command child (env given) into `dir` and creates the session from it. */
export async function createWithSpec(h: Harness, dir: string, child: { name: string; command: string; args: string[]; env?: Record<string, string> }, flags: string[]): Promise<SessionInfo> {
  const file = join(dir, `spec-${child.name}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ children: [child] }));
  return h.create(['--spec', file, ...flags]);
}

/** The `ATTACKS {json}` line an attacker prints, read from its log once it is there. */
export async function attackResults(h: Harness, id: string): Promise<Record<string, string>> {
  const line = await waitFor(async () => (await h.cli(['logs', id])).stdout.split('\n').find((l) => l.startsWith('ATTACKS ')), `the attacker of ${id} to report`, 60_000, 200);
  return JSON.parse(line.slice('ATTACKS '.length)) as Record<string, string>;
}

/** After teardown: no process of an isolated uid left (a zombie init has yet to reap is gone), and the state dir's isolation root gone. */
export async function expectNothingIsolatedLeft(home: string, uids: readonly number[]): Promise<void> {
  const root = defaultIsolationRoot(home);
  const left = () => uids.filter((uid) => uidRuns(uid, root));
  await waitFor(() => left().length === 0, `no process of uids ${left().join(', ')}`, 3000).catch(() => undefined);
  const rootLeft = existsSync(root);
  // The last line of defence: a failed test leaves nothing behind either.
  rmSync(root, { recursive: true, force: true });
  expect(left(), 'uids with processes left').toEqual([]);
  expect(rootLeft, 'isolation root left').toBe(false);
}

/**
 * Whether a process of `uid` runs (zombies aside) for the sessions of isolation root `root` (its
 * HOME is a work dir there): test files run in parallel, and a uid freed by one daemon may be
 * another's a moment later.
 */
export function uidRuns(uid: number, root?: string): boolean {
  return readdirSync('/proc').some((name) => {
    if (!/^\d+$/.test(name) || statSync(`/proc/${name}`, { throwIfNoEntry: false })?.uid !== uid || !isRunning(Number(name))) return false;
    if (root === undefined) return true;
    try {
      return readFileSync(`/proc/${name}/environ`, 'latin1').includes(`HOME=${root}/`);
    } catch {
      return false;
    }
  });
}

/** What an isolation test works with: a fresh daemon's harness, a folder every uid may read, the uids its sessions got. */
export interface IsolationWorld {
  readonly h: Harness;
  readonly shared: ReturnType<typeof sharedDir>;
  /** Notes an isolated session's uid: after the test, no process of it may be left. */
  track(session: SessionInfo): SessionInfo;
}

/** Makes an IsolationWorld before each test (with `files` in its shared folder) and, after each, tears it down and checks nothing isolated is left. */
export function isolationWorld(files: readonly string[] = []): IsolationWorld {
  let current: { h: Harness; shared: ReturnType<typeof sharedDir>; uids: number[] } | undefined;
  const now = () => current ?? (() => { throw new Error('isolationWorld is used inside a test only'); })();
  beforeEach(() => {
    requireIsolationHost();
    current = { h: new Harness(), shared: sharedDir(files), uids: [] };
  });
  afterEach(async () => {
    const { h, shared, uids } = now();
    try {
      await h.teardown();
    } finally {
      shared.cleanup();
      await expectNothingIsolatedLeft(h.home, uids);
    }
  });
  return {
    get h() { return now().h; },
    get shared() { return now().shared; },
    track(session) {
      if (session.isolation) now().uids.push(session.isolation.uid);
      return session;
    },
  };
}
