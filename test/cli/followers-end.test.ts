// A follower of one session ends with it (contract: "A follower of one session … exits 0 once
// that session is terminated, after its last lines"), and `events --lines N` starts near now.
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/contract/events.js';
import { waitFor } from '../helpers/proc.js';
import { Harness, SESSIONCTL } from './harness.js';

const AGENT = join(import.meta.dirname, '..', 'fixtures', 'agent.mjs');
// Says goodbye on SIGTERM: the last line of its log comes as its session ends.
const PRINTER = `printer=node -e "console.log('started'); process.on('SIGTERM', () => { console.log('goodbye'); process.exit(0); }); setInterval(() => {}, 1000)"`;

let h: Harness;
const followers: ResultPromise[] = [];
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  for (const follower of followers.splice(0)) follower.kill('SIGKILL');
  await h.teardown();
});

function follow(args: readonly string[]) {
  const subprocess = execa(process.execPath, [SESSIONCTL, '--home', h.home, ...args], { reject: false, stdin: 'ignore', timeout: 60_000 });
  followers.push(subprocess);
  let out = '';
  subprocess.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { subprocess, out: () => out };
}

it('events --follow --session, logs --follow and messages --session --follow exit 0 after the session’s end and its last lines', { timeout: 90_000 }, async () => {
  h.noteSession(await h.create(['--id', 'ends-1', '--child', `agent=${AGENT}`, '--command', PRINTER]));
  const events = follow(['events', '--follow', '--session', 'ends-1', '--json']);
  const logs = follow(['logs', 'ends-1', '--child', 'printer', '--follow']);
  const all = follow(['logs', 'ends-1', '--all', '--follow']);
  const messages = follow(['messages', '--session', 'ends-1', '--follow']);
  await waitFor(() => logs.out().includes('started') && events.out().includes('session.active'), 'the followers to be under way');
  expect((await h.cli(['send', 'ends-1', '--child', 'agent', '{"op":"publish","topic":"t","data":1}'])).exitCode).toBe(0);
  await waitFor(() => messages.out().includes('"topic":"t"'), 'the message to reach its follower');

  expect((await h.cli(['terminate', 'ends-1'])).exitCode).toBe(0);
  for (const follower of [events, logs, all, messages]) {
    const done = await follower.subprocess;
    expect(done.exitCode, `${done.command}: ${done.stderr}`).toBe(0);
  }
  expect((JSON.parse(events.out().trim().split('\n').at(-1)!) as StoredEvent).type).toBe('session.terminated');
  expect(logs.out()).toBe('started\ngoodbye\n');
  expect(all.out()).toContain('printer | goodbye\n');
  expect(messages.out().trim().split('\n').map((line) => JSON.parse(line).topic)).toEqual(['t']);

  // A follower of a session that has ended prints what there is and exits at once.
  const late = await h.cli(['events', '--follow', '--session', 'ends-1', '--lines', '2', '--json']);
  expect(late.exitCode, late.stderr).toBe(0);
  expect(late.stdout.trim().split('\n').map((line) => (JSON.parse(line) as StoredEvent).type)).toEqual(['child.exited', 'session.terminated']);
  expect((await h.cli(['logs', 'ends-1', '--child', 'printer', '--follow'])).stdout).toBe('started\ngoodbye'); // execa strips the last newline
  expect((await h.cli(['messages', '--session', 'ends-1', '--follow'])).exitCode).toBe(0);
});

it('events --lines N: the last N events (of a session, if given), with or without --follow', { timeout: 60_000 }, async () => {
  for (const id of ['lines-1', 'lines-2']) h.noteSession(await h.create(['--id', id]));
  const every = (await h.cli(['events', '--json'])).stdout.trim().split('\n').map((line) => JSON.parse(line) as StoredEvent);
  const last = await h.cli(['events', '--lines', '3', '--json']);
  expect(last.stdout.trim().split('\n').map((line) => (JSON.parse(line) as StoredEvent).seq)).toEqual(every.slice(-3).map((e) => e.seq));
  const ofOne = await h.cli(['events', '--lines', '1', '--session', 'lines-1', '--json']);
  expect(JSON.parse(ofOne.stdout)).toMatchObject({ session: 'lines-1', type: 'session.active' });
  expect((await h.cli(['events', '--lines', '0'])).stdout).toBe('');
  expect((await h.cli(['events', '--lines', '-1'])).exitCode).toBe(2);
  expect((await h.cli(['events', '--lines', '2', '--since', '3'])).exitCode).toBe(2);

  const follower = follow(['events', '--lines', '1', '--follow', '--json']);
  await waitFor(() => follower.out().endsWith('\n'), 'the last event');
  expect((await h.cli(['terminate', 'lines-2'])).exitCode).toBe(0);
  await waitFor(() => follower.out().includes('session.terminated'), 'the new events');
  const seen = follower.out().trim().split('\n').map((line) => JSON.parse(line) as StoredEvent);
  expect(seen[0]!.seq).toBe(every.at(-1)!.seq);
  expect(seen.slice(1).every((e) => e.session === 'lines-2')).toBe(true);
});
