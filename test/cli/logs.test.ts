import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { decodeRecords } from '../../src/logs/log-records.js';
import { Harness, SESSIONCTL, waitFor } from './harness.js';

let h: Harness;
const followers: ResultPromise[] = [];
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  for (const follower of followers.splice(0)) {
    follower.kill('SIGKILL');
    await follower.catch(() => undefined);
  }
  await h.teardown();
});

const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const lines = (text: string) => text.split('\n').filter(Boolean);

/** A `sessionctl … --follow` process whose stdout is collected as it comes. */
function follow(args: readonly string[]) {
  const subprocess = execa(process.execPath, [SESSIONCTL, '--home', h.home, ...args], { reject: false, buffer: false, stdin: 'ignore' });
  followers.push(subprocess);
  let stdout = '';
  subprocess.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return { subprocess, stdout: () => stdout };
}

async function twoChildren(): Promise<SessionInfo> {
  const session = await h.create(['--command', 'a=sh -c "echo a-out; echo a-err >&2; exec sleep 1000"', '--command', 'b=sh -c "echo b-out; exec sleep 1000"']);
  await waitFor(async () => lines((await h.cli(['logs', session.id, '--all'])).stdout).length === 3, 'three lines logged');
  return session;
}

describe('logs --all, --timestamps', { timeout: 60_000 }, () => {
  it('--all: every child, each line "NAME | ", the stream shown with --timestamps; without flags, exactly what the child printed', async () => {
    const session = await twoChildren();
    const all = await h.cli(['logs', session.id, '--all']);
    expect(all.exitCode).toBe(0);
    expect(lines(all.stdout).sort()).toEqual(['a | a-err', 'a | a-out', 'b | b-out']);
    const streams = lines((await h.cli(['logs', session.id, '--all', '--timestamps'])).stdout).map((l) => l.replace(/ \S+Z /, ' <at> '));
    expect(streams.sort()).toEqual(['a | <at> err a-err', 'a | <at> out a-out', 'b | <at> out b-out']);
    expect(lines((await h.cli(['logs', session.id, '--all', '--lines', '1'])).stdout)).toHaveLength(1);
    expect((await h.cli(['logs', session.id, '--child', 'b'])).stdout).toBe('b-out'); // (execa strips the final newline)
    expect(lines((await h.cli(['logs', session.id, '--child', 'a'])).stdout).sort()).toEqual(['a-err', 'a-out']);
    const both = await h.cli(['logs', session.id, '--all', '--child', 'a']);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toMatch(/all and child are mutually exclusive/);
  });

  it('--timestamps: each line after the time the supervisor captured it, kept in the log for later reads', async () => {
    const before = new Date().toISOString();
    const session = await twoChildren();
    const after = new Date().toISOString();
    const stamped = lines((await h.cli(['logs', session.id, '--child', 'b', '--timestamps'])).stdout);
    expect(stamped).toHaveLength(1);
    const [at, text] = stamped[0]!.split(' ');
    expect(text).toBe('b-out');
    expect(at).toMatch(STAMP);
    expect(at! >= before && at! <= after).toBe(true);
    // With --all, the stamp follows the child's prefix.
    for (const line of lines((await h.cli(['logs', session.id, '--all', '--timestamps'])).stdout)) expect(line).toMatch(/^([ab]) \| \d{4}-\S+Z (out|err) \1-\2$/);
    // --json carries both, whatever the flags.
    const json = lines((await h.cli(['logs', session.id, '--all', '--json'])).stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(json.find((l) => l.line === 'a-err')).toEqual({ session: session.id, child: 'a', stream: 'err', at: expect.stringMatching(STAMP), line: 'a-err' });
  });

  it('--follow with --all and --timestamps: what every child prints next, prefixed and stamped, until Ctrl-C', async () => {
    const session = await h.create([
      '--command',
      'tick=sh -c "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.1; done"',
      '--command',
      'tock=sh -c "i=0; while :; do i=$((i+1)); echo tock $i >&2; sleep 0.1; done"',
    ]);
    const all = follow(['logs', session.id, '--all', '--timestamps', '--follow', '--lines', '0']);
    const one = follow(['logs', session.id, '--child', 'tock', '--timestamps', '--follow', '--lines', '0']);
    await waitFor(() => lines(all.stdout()).length >= 6 && lines(one.stdout()).length >= 3, 'lines followed');
    const seen = lines(all.stdout());
    for (const line of seen) expect(line).toMatch(/^(tick \| \S+Z out tick|tock \| \S+Z err tock) \d+$/);
    expect(seen.some((l) => l.startsWith('tick | ')) && seen.some((l) => l.startsWith('tock | '))).toBe(true);
    for (const line of lines(one.stdout())) expect(line).toMatch(/^\S+Z tock \d+$/);
    for (const follower of [all, one]) {
      follower.subprocess.kill('SIGINT');
      await follower.subprocess;
      expect(follower.subprocess.exitCode).toBe(0);
    }
  });

  it('logs --all --follow goes on across a daemon restart: every line once, from before and after', async () => {
    // Each line names the run's pid: the restarted child's lines differ from the first one's.
    const session = await h.create(['--command', 'n=sh -c "i=0; while :; do i=$((i+1)); echo $$ $i; sleep 0.05; done"', '--command', 'quiet=sleep 1000']);
    const follower = follow(['logs', session.id, '--all', '--follow', '--lines', '100000']);
    await waitFor(() => lines(follower.stdout()).length >= 5, 'the first lines');
    expect((await h.cli(['daemon', 'restart'])).exitCode).toBe(0);
    h.noteSession(await h.json<SessionInfo>(['info', session.id]));
    await waitFor(() => new Set(lines(follower.stdout()).map((l) => l.split(' ')[2])).size === 2, 'lines of the run after the restart');
    expect((await h.cli(['terminate', session.id])).exitCode).toBe(0);
    const log = join(h.home, 'logs', 'sessions', session.id, 'n.log');
    const logged = decodeRecords(readFileSync(log, 'utf8')).map((e) => `n | ${e.text}`);
    await waitFor(() => lines(follower.stdout()).length === logged.length, 'the follower to catch up with the log');
    expect(lines(follower.stdout())).toEqual(logged);
    follower.subprocess.kill('SIGINT');
    await follower.subprocess;
  });
});

describe('child log rotation', { timeout: 60_000 }, () => {
  it('daemon start --log-max-bytes 2k --log-files 2: the log rotates to .1 and .2 only; logs reads across them', async () => {
    const started = await h.cli(['daemon', 'start', '--log-max-bytes', '2k', '--log-files', '2']);
    expect(started.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(h.home, 'sessiond.json'), 'utf8'))).toMatchObject({ 'log-max-bytes': 2048, 'log-files': 2 });
    const pad = 'x'.repeat(80);
    const script = `i=0; while [ $i -lt 200 ]; do i=$((i+1)); echo "line $i ${pad}"; [ $((i % 10)) -eq 0 ] && sleep 0.01; done; exec sleep 1000`;
    const session = await h.create(['--command', `big=sh -c '${script}'`]);
    const log = join(h.home, 'logs', 'sessions', session.id, 'big.log');
    await waitFor(async () => lines((await h.cli(['logs', session.id, '--lines', '1'])).stdout)[0]?.startsWith('line 200 '), 'the last line');
    expect(existsSync(`${log}.1`) && existsSync(`${log}.2`)).toBe(true);
    expect(existsSync(`${log}.3`)).toBe(false);
    const numbers = lines((await h.cli(['logs', session.id, '--lines', '1000'])).stdout).map((l) => Number(l.split(' ')[1]));
    const inCurrent = decodeRecords(readFileSync(log, 'utf8')).length;
    // Reached into the rotated files, and the lines are consecutive up to the last.
    expect(numbers.length).toBeGreaterThan(inCurrent);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => 200 - numbers.length + 1 + i));
    // `info` lists them.
    expect((await h.cli(['info', session.id])).stdout).toContain(`  log:          ${log}\n                ${log}.1\n                ${log}.2`);
  });

  it('refuses a bad size or count, naming the flag', async () => {
    const bad = await h.cli(['daemon', 'start', '--log-max-bytes', 'lots']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/--log-max-bytes "lots" is not a size/);
    expect((await h.cli(['daemon', 'start', '--log-files', '-1'])).stderr).toMatch(/--log-files takes a whole number, 0 or more/);
  });
});
