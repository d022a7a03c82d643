import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import type { PublishedMessage } from '../../src/manager/message-log.js';
import { waitFor } from '../helpers/proc.js';
import { Followers } from './follower.js';
import { Harness } from './harness.js';

const AGENT = join(import.meta.dirname, '..', 'fixtures', 'agent.mjs');

let h: Harness;
const followers = new Followers();
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await followers.stopAll();
  await h.teardown();
});

describe('send', { timeout: 90_000 }, () => {
  it('prints the reply as JSON; child_error, timeout, not_supported and not running exit 1 saying so', async () => {
    h.noteSession(await h.create(['--id', 'talk', '--child', `agent=${AGENT}`, '--command', 'cmd=sleep 1000']));
    const echo = await h.cli(['send', 'talk', '{"op":"echo","value":[1,"two"]}']);
    expect(echo).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(echo.stdout)).toEqual({ echo: [1, 'two'], child: 'agent' });
    expect(JSON.parse((await h.cli(['send', 'talk', '--child', 'agent', '"just a string"'])).stdout)).toEqual({ unknown: 'just a string' });
    expect(JSON.parse((await h.cli(['send', 'talk', '-'], { input: '{"op":"echo","value":"from stdin"}' })).stdout)).toMatchObject({ echo: 'from stdin' });

    const threw = await h.cli(['send', 'talk', '{"op":"throw","message":"bad input: no task"}']);
    expect(threw).toMatchObject({ exitCode: 1, stdout: '' });
    expect(threw.stderr).toMatch(/onMessage handler failed: bad input: no task/);
    const slow = await h.cli(['send', 'talk', '--timeout-ms', '300', '{"op":"hang"}']);
    expect(slow.exitCode).toBe(1);
    expect(slow.stderr).toMatch(/did not reply within 300 ms/);
    const command = await h.cli(['send', 'talk', '--child', 'cmd', '{}']);
    expect(command.exitCode).toBe(1);
    expect(command.stderr).toMatch(/child cmd is a command: it has no IPC channel/);

    for (const bad of [['{"op":'], ['--timeout-ms', '0', '{}'], ['--timeout-ms', '1.5', '{}'], ['--timeout-ms', 'soon', '{}']]) {
      const refused = await h.cli(['send', 'talk', ...bad]);
      expect(refused.exitCode, bad.join(' ')).toBe(2);
    }
    expect((await h.cli(['send', 'talk', '{not json'])).stderr).toMatch(/the message is not JSON/);
    const big = await h.cli(['send', 'talk', '-'], { input: JSON.stringify({ op: 'echo', value: 'x'.repeat(1024 * 1024) }) });
    expect(big.exitCode).toBe(2);
    expect(big.stderr).toMatch(/over the control socket's limit of 1048576 bytes \(1 MiB\).*smaller than 1 MiB/);
    expect((await h.cli(['send', 'talk', '--child', 'ghost', '{}'])).exitCode).toBe(3);
    expect((await h.cli(['send', 'nobody-here', '{}'])).exitCode).toBe(3);

    expect((await h.cli(['child', 'stop', 'talk', 'agent'])).exitCode).toBe(0);
    const stopped = await h.cli(['send', 'talk', '{"op":"echo"}']);
    expect(stopped.exitCode).toBe(1);
    expect(stopped.stderr).toMatch(/child agent is not running \(it is stopped\)/);
    expect((await h.cli(['terminate', 'talk'])).exitCode).toBe(0);
    const ended = await h.cli(['send', 'talk', '{"op":"echo"}']);
    expect(ended.exitCode).toBe(1);
    expect(ended.stderr).toMatch(/terminated/);
  });
});

describe('messages', { timeout: 90_000 }, () => {
  it('prints what children published, one JSON object a line; --session filters; --follow goes on with new ones', async () => {
    const a = await h.create(['--id', 'pub-a', '--child', `agent=${AGENT}`]);
    const b = await h.create(['--id', 'pub-b', '--child', `agent=${AGENT}`]);
    h.noteSession(a);
    h.noteSession(b);
    expect((await h.cli(['messages'])).stdout).toBe('');
    const publish = async (id: string, topic: string, data: unknown) => {
      const result = await h.cli(['send', id, JSON.stringify({ op: 'publish', topic, data })]);
      expect(result.exitCode).toBe(0);
    };
    await publish('pub-a', 'progress', { step: 1 });
    await publish('pub-b', 'progress', { step: 'b1' });
    await publish('pub-a', 'result', { answer: 42 });

    const all = await h.cli(['messages']);
    expect(all.exitCode).toBe(0);
    const lines = all.stdout.split('\n').map((line) => JSON.parse(line) as PublishedMessage);
    expect(lines.map((m) => [m.session, m.child, m.topic, m.data])).toEqual([
      ['pub-a', 'agent', 'progress', { step: 1 }],
      ['pub-b', 'agent', 'progress', { step: 'b1' }],
      ['pub-a', 'agent', 'result', { answer: 42 }],
    ]);
    expect(Object.keys(lines[0]!)).toEqual(['at', 'session', 'child', 'topic', 'data']);
    expect(Number.isNaN(Date.parse(lines[0]!.at))).toBe(false);
    const onlyB = (await h.cli(['messages', '--session', 'pub-b', '--json'])).stdout.split('\n').map((line) => JSON.parse(line) as PublishedMessage);
    expect(onlyB.map((m) => m.data)).toEqual([{ step: 'b1' }]);
    expect((await h.cli(['messages', '--session', 'nobody-here'])).exitCode).toBe(3);

    const follower = followers.start(h.home, ['messages', '--follow', '--session', 'pub-a']);
    await waitFor(() => follower.lines().length === 2, 'the kept messages of pub-a');
    await publish('pub-b', 'progress', { step: 'b2' });
    await publish('pub-a', 'progress', { step: 2 });
    await waitFor(() => follower.lines().length === 3, 'the new message');
    expect(follower.lines<PublishedMessage>().map((m) => m.data)).toEqual([{ step: 1 }, { answer: 42 }, { step: 2 }]);
    follower.subprocess.kill('SIGINT');
    await follower.subprocess;
    expect(follower.subprocess.exitCode).toBe(0);
  });

  it('a follower rides out daemon restart and goes on with the new daemon’s messages (messages are in memory only)', async () => {
    h.noteSession(await h.create(['--id', 'pub-c', '--child', `agent=${AGENT}`]));
    await h.cli(['send', 'pub-c', '{"op":"publish","topic":"t","data":"before"}']);
    const follower = followers.start(h.home, ['messages', '--follow']);
    await waitFor(() => follower.lines().length === 1, 'the kept message');
    expect((await h.cli(['daemon', 'restart'])).exitCode).toBe(0);
    await waitFor(async () => (await h.json<SessionInfo>(['info', 'pub-c'])).status === 'active', 'the session back');
    h.noteSession(await h.json<SessionInfo>(['info', 'pub-c']));
    expect((await h.cli(['messages'])).stdout).toBe(''); // the new daemon heard nothing yet
    await waitFor(() => follower.stderr().includes('sessiond is back'), 'the follower to reconnect');
    await h.cli(['send', 'pub-c', '{"op":"publish","topic":"t","data":"after"}']);
    await waitFor(() => follower.lines().length === 2, 'the message after the restart');
    expect(follower.lines<PublishedMessage>().map((m) => m.data)).toEqual(['before', 'after']);
  });
});
