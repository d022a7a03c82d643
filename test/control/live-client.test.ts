import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessiondError } from '../../src/contract/errors.js';
import { SessionClient } from '../../src/control/client.js';
import type { PublishedMessage } from '../../src/manager/message-log.js';
import { Harness } from '../cli/harness.js';
import { waitFor } from '../helpers/proc.js';

const AGENT = join(import.meta.dirname, '..', 'fixtures', 'agent.mjs');
const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: SessiondError) => error.code);

let h: Harness;
let client: SessionClient;
beforeEach(() => {
  h = new Harness();
  client = new SessionClient({ home: h.home, autoStart: true });
});
afterEach(async () => {
  client.close();
  await h.teardown();
});

describe('SessionClient and live sessions', { timeout: 60_000 }, () => {
  it('100 sends at once on one client are each answered with their own reply, out of order as they come', async () => {
    const session = await client.create({ id: 'many', children: [{ name: 'agent', file: AGENT }] });
    h.noteDaemon();
    h.noteSession(session);
    // The later the request, the sooner its reply: replies come back in another order than asked.
    const sends = Array.from({ length: 100 }, (_, i) => (i % 2 ? client.send('many', { op: 'slow', ms: 200 - 2 * i }) : client.send('many', { op: 'echo', value: i })));
    const replies = await Promise.all(sends);
    replies.forEach((reply, i) => expect(reply).toEqual(i % 2 ? { slept: 200 - 2 * i } : { echo: i, child: 'agent' }));
  });

  it('adds, stops, restarts and removes children, restarts the session, each answered with the session', async () => {
    await client.create({ id: 'admin' });
    h.noteDaemon();
    const added = await client.addChild('admin', { name: 'llm_agent', file: 'agent.mjs' }, join(import.meta.dirname, '..', 'fixtures'));
    h.noteSession(added);
    expect(added.children.map((c) => [c.name, c.status])).toEqual([['placeholder', 'running'], ['llm_agent', 'running']]);
    expect(await client.getLlmAgentPid('admin')).toBe(added.children[1]!.pid);
    expect(await code(client.addChild('admin', { name: 'llm_agent', file: AGENT }))).toBe('already_exists');
    expect(await code(client.addChild('admin', { name: 'bad name!', file: AGENT }))).toBe('invalid_params');
    expect((await client.stopChild('admin', 'llm_agent')).children[1]).toMatchObject({ status: 'stopped', pid: null });
    expect(await code(client.send('admin', {}, { child: 'llm_agent' }))).toBe('not_running');
    expect(await code(client.removeChild('admin', 'placeholder'))).toBe('running');
    expect(await code(client.restartChild('admin', 'nobody'))).toBe('not_found');
    const restarted = await client.restartChild('admin', 'llm_agent');
    h.noteSession(restarted);
    expect(restarted.children[1]!.status).toBe('running');
    const renewed = await client.restartSession('admin');
    h.noteSession(renewed);
    expect(renewed.children.every((c, i) => c.status === 'running' && c.pid !== restarted.children[i]!.pid)).toBe(true);
    await client.stopChild('admin', 'llm_agent');
    expect((await client.removeChild('admin', 'llm_agent')).children.map((c) => c.name)).toEqual(['placeholder']);
    expect(await code(client.stopChild('nobody-here', 'placeholder'))).toBe('not_found');
  });

  it('over the socket: child-add without a cwd resolves against the session’s own; bad params change nothing', async () => {
    const fixtures = join(import.meta.dirname, '..', 'fixtures');
    await client.create({ id: 'raw', children: [{ name: 'first', file: 'agent.mjs' }] }, fixtures);
    h.noteDaemon();
    const added = await client.request('child-add', { id: 'raw', child: { name: 'second', file: 'agent.mjs' } });
    h.noteSession(added);
    expect(added.children.map((c) => [c.name, c.cwd])).toEqual([['first', fixtures], ['second', fixtures]]);
    expect(await code(client.request('send', { id: 'raw' } as never))).toBe('invalid_params');
    expect(await code(client.request('send', { id: 'raw', body: 1, timeoutMs: 0 }))).toBe('invalid_params');
    expect(await code(client.request('child-stop', { id: 'raw', name: '../x' }))).toBe('invalid_params');
    expect(await code(client.request('child-add', { id: 'raw', child: { name: 'third', file: AGENT }, cwd: 'relative' }))).toBe('invalid_params');
    expect(await code(client.request('messages', { session: 'raw', follow: 'yes' } as never))).toBe('invalid_params');
    expect((await client.getSessionInfo('raw')).children.map((c) => c.name)).toEqual(['first', 'second']);
    expect(await client.send('raw', { op: 'echo', value: 'still fine' }, { child: 'second' })).toEqual({ echo: 'still fine', child: 'second' });
  });

  it('a message too big for the socket is refused before it is sent, and the connection goes on', async () => {
    h.noteSession(await client.create({ id: 'big', children: [{ name: 'agent', file: AGENT }] }));
    h.noteDaemon();
    const refused = await client.send('big', 'x'.repeat(1024 * 1024)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SessiondError);
    expect(refused).toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/send: the request is \d+ bytes.*1 MiB.*smaller than 1 MiB/) });
    const large = 'y'.repeat(1000 * 1000);
    expect(await client.send('big', { op: 'echo', value: large })).toEqual({ echo: large, child: 'agent' });
  });

  it('messages lists what was published; with follow it goes on until aborted', async () => {
    h.noteSession(await client.create({ id: 'pub', children: [{ name: 'agent', file: AGENT }] }));
    h.noteDaemon();
    await client.send('pub', { op: 'publish', topic: 'progress', data: 1 });
    const listed: PublishedMessage[] = [];
    await client.messages({ session: 'pub' }, (m) => listed.push(m));
    expect(listed).toEqual([{ at: expect.any(String), session: 'pub', child: 'agent', topic: 'progress', data: 1 }]);

    const followed: PublishedMessage[] = [];
    const stop = new AbortController();
    const following = client.messages({ session: 'pub', follow: true }, (m) => followed.push(m), stop.signal);
    await waitFor(() => followed.length === 1, 'the kept message');
    await client.send('pub', { op: 'publish', topic: 'result', data: { done: true } });
    await waitFor(() => followed.length === 2, 'the new message');
    stop.abort();
    await following;
    expect(followed.map((m) => m.topic)).toEqual(['progress', 'result']);
  });
});

// A stream's handler is the caller's code: a bug there is the caller's error to see, not
// "sessiond sent a reply that cannot be read", and it costs nothing but that stream.
describe('a stream handler that throws', { timeout: 30_000 }, () => {
  it("ends its stream with the handler's own error; the client goes on", async () => {
    await client.create({ id: 'one' });
    h.noteDaemon();
    const mistake = new Error('a bug in the caller');
    const throwing = () => {
      throw mistake;
    };
    await expect(client.events({ session: 'one' }, throwing)).rejects.toBe(mistake);
    await expect(client.events({ session: 'one', follow: true }, throwing)).rejects.toBe(mistake);
    expect((await client.listSessions()).map((s) => s.id)).toEqual(['one']);
  });
});
