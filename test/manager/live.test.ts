import { mkdtempSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SessiondError } from '../../src/contract/errors.js';
import { fixture, Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const agent = (name = 'agent', fields: Record<string, unknown> = {}) => ({ name, file: fixture('agent.mjs'), ...fields });
const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: SessiondError) => error.code);

describe('child administration', () => {
  it('adds a child after the others, stops it for good, restarts and removes it', async () => {
    h = new Harness();
    const m = h.manager;
    const id = await h.create({});
    await m.addChild(id, agent('llm_agent'));
    let info = await m.getSessionInfo(id);
    expect(info.children.map((c) => [c.name, c.status])).toEqual([['placeholder', 'running'], ['llm_agent', 'running']]);
    expect(m.getLlmAgentPid(id)).toBe(info.children[1]!.pid);
    await h.snapshot(id);
    expect(await code(m.addChild(id, agent('llm_agent')))).toBe('already_exists');
    expect(await code(m.addChild(id, { name: 'bad', command: 'sleep', restart: 'permanent', significant: true }))).toBe('invalid_params');

    const pid = info.children[1]!.pid!;
    await m.stopChild(id, 'llm_agent');
    await m.stopChild(id, 'llm_agent'); // stopping a stopped child succeeds
    info = await m.getSessionInfo(id);
    expect(info.children[1]).toMatchObject({ status: 'stopped', pid: null });
    expect(await code(m.removeChild(id, 'placeholder'))).toBe('running');
    expect(await code(m.stopChild(id, 'nobody'))).toBe('not_found');

    await m.restartChild(id, 'llm_agent');
    info = await m.getSessionInfo(id);
    expect(info.children[1]!.status).toBe('running');
    expect(info.children[1]!.pid).not.toBe(pid);
    await h.snapshot(id);

    await m.stopChild(id, 'llm_agent');
    await m.removeChild(id, 'llm_agent');
    expect((await m.getSessionInfo(id)).children.map((c) => c.name)).toEqual(['placeholder']);
    expect(m.getLlmAgentPid(id)).toBe('not_found');
    const types = h.events.filter((e) => e.session === id && e.type.startsWith('child.')).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['child.added', 'child.stopped', 'child.restarted', 'child.removed']));
  });

  it('a requested restart counts toward no intensity; restart of the session renews every child in order', async () => {
    h = new Harness();
    const m = h.manager;
    const id = await h.create({ maxRestarts: 0, children: [agent('a'), agent('b')] });
    for (let i = 0; i < 3; i++) await m.restartChild(id, 'a');
    const before = (await m.getSessionInfo(id)).children.map((c) => c.pid);
    await m.restartSession(id);
    const after = await m.getSessionInfo(id);
    expect(after.status).toBe('active');
    expect(after.children.every((c, i) => c.status === 'running' && c.pid !== before[i])).toBe(true);
    const restarted = h.events.filter((e) => e.session === id && e.type === 'child.restarted').map((e) => e.child);
    expect(restarted.slice(-2)).toEqual(['a', 'b']);
    await h.snapshot(id);
  });
});

describe('an agent that ends its session', () => {
  it('a significant child that finishes ends the session with no error, reason auto_shutdown', async () => {
    h = new Harness();
    const m = h.manager;
    const id = await h.create({ autoShutdown: 'any_significant', children: [{ name: 'placeholder', file: fixture('exit-on-signal.mjs') }, agent('llm_agent', { restart: 'transient', significant: true })] });
    await h.snapshot(id);
    expect(await m.send(id, { op: 'finish' }, { child: 'llm_agent' })).toEqual({ finishing: true });
    const ended = await h.waitEvent((e) => e.session === id && e.type === 'session.terminated', 'the session to end');
    expect(ended).toMatchObject({ error: null, reason: 'auto_shutdown' });
    expect((await m.getSessionInfo(id)).error).toBeNull();
  });
});

describe('messages', () => {
  it('send gets the reply; errors say child_error, timeout, not_supported, not_running', async () => {
    h = new Harness();
    const m = h.manager;
    const id = await h.create({ children: [agent(), { name: 'cmd', command: 'sleep', args: ['1000'] }] });
    await h.snapshot(id);
    expect(await m.send(id, { op: 'echo', value: 42 })).toEqual({ echo: 42, child: 'agent' });
    await expect(m.send(id, { op: 'throw', message: 'bad input' })).rejects.toMatchObject({ code: 'child_error', message: 'bad input' });
    await expect(m.send(id, { op: 'hang' }, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'timeout' });
    expect(await code(m.send(id, {}, { child: 'cmd' }))).toBe('not_supported');
    expect(await code(m.send(id, {}, { child: 'ghost' }))).toBe('not_found');
    expect(await code(m.send(id, 'x'.repeat(1024 * 1024 + 1)))).toBe('invalid_params');
    await m.stopChild(id, 'agent');
    expect(await code(m.send(id, { op: 'echo' }))).toBe('not_running');
  });

  it('many sends at once are never mixed up; a child that exits fails its pending calls at once', async () => {
    h = new Harness();
    const m = h.manager;
    const id = await h.create({ children: [agent()] });
    await h.snapshot(id);
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => m.send(id, { op: 'echo', value: i })));
    expect(replies.map((r) => (r as { echo: number }).echo)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const pending = m.send(id, { op: 'hang' }, { timeoutMs: 20_000 });
    const started = Date.now();
    m.kill(id, { child: 'agent' });
    await expect(pending).rejects.toMatchObject({ code: 'not_running', message: expect.stringMatching(/exited/) });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps what children publish, per session, in memory', async () => {
    h = new Harness();
    const m = h.manager;
    const id = await h.create({ children: [agent()] });
    await h.snapshot(id);
    const heard: unknown[] = [];
    m.messages.on('message', (message) => heard.push(message));
    await m.send(id, { op: 'publish', topic: 'progress', data: { step: 1 } });
    await m.send(id, { op: 'publish', topic: 'progress', data: { step: 2 } });
    await h.waitEvent(() => heard.length === 2, 'two messages');
    expect(m.messages.list(id).map((x) => [x.child, x.topic, x.data])).toEqual([
      ['agent', 'progress', { step: 1 }],
      ['agent', 'progress', { step: 2 }],
    ]);
  });
});

describe('working directory', () => {
  it('a child runs in its cwd, by default the creating caller’s, relative paths against it', async () => {
    h = new Harness();
    const m = h.manager;
    // Inside the harness's home: its teardown removes it, whatever the test's outcome.
    const dir = realpathSync(mkdtempSync(join(h.home.dir, 'cwd-')));
    const id = await h.manager.createSession({ children: [agent('here'), agent('there', { cwd: '/tmp' })] }, dir);
    await h.snapshot(id);
    expect(await m.send(id, { op: 'cwd' }, { child: 'here' })).toMatchObject({ cwd: dir });
    expect(await m.send(id, { op: 'cwd' }, { child: 'there' })).toMatchObject({ cwd: '/tmp' });
    const info = await m.getSessionInfo(id);
    expect(info.children.map((c) => c.cwd)).toEqual([dir, '/tmp']);
    // An added child runs in the session's cwd, never the adding caller's; a relative cwd of its own is the caller's to resolve.
    await m.addChild(id, agent('added', { env: { AGENT_ENV: 'yes' } }), '/');
    expect(await m.send(id, { op: 'cwd' }, { child: 'added' })).toEqual({ cwd: dir, env: 'yes' });
    await m.addChild(id, agent('own', { cwd: '.' }), '/');
    expect(await m.send(id, { op: 'cwd' }, { child: 'own' })).toMatchObject({ cwd: '/' });
    expect(await code(m.addChild(id, agent('nowhere', { cwd: '/nonexistent/dir' })))).toBe('invalid_params');
  });
});
