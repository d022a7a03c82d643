import { afterEach, describe, expect, it } from 'vitest';
import { SessiondError } from '../../src/contract/errors.js';
import { redactLlmConfig } from '../../src/contract/session.js';
import { fixture, Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

const rejects = (promise: Promise<unknown>, code: string, message: RegExp) =>
  expect(promise).rejects.toSatisfy((e: unknown) => e instanceof SessiondError && e.code === code && message.test(e.message));

describe('input validation', () => {
  it.each([
    [{ id: '../x' }, /id: must match/],
    [{ id: '' }, /id: must match/],
    [{ id: 'a'.repeat(129) }, /id: must match/],
    [{ strategy: 'one_for_some' }, /strategy/],
    [{ maxRestarts: -1 }, /maxRestarts/],
    [{ maxSeconds: 0 }, /maxSeconds/],
    [{ children: [{ name: 'x' }] }, /exactly one of "file".*or "command"/],
    [{ children: [{ name: 'x', file: 'a.js', command: 'b' }] }, /exactly one of/],
    [{ children: [{ name: 'bad/name', command: 'sleep' }] }, /children.0.name/],
    [{ children: [{ name: 'x', command: 'sleep', restart: 'sometimes' }] }, /children.0.restart/],
    [{ children: [{ name: 'x', command: 'sleep 1000' }] }, /children.0.command: is the executable alone, never split: put its arguments in "args"/],
    [{ children: [{ name: 'x', command: 'sleep' }, { name: 'x', command: 'sleep' }] }, /child name "x" is used twice/],
    [{ children: [{ name: 'x', file: '/nonexistent/child.js' }] }, /file \/nonexistent\/child.js does not exist/],
    [{ colour: 'blue' }, /colour/],
  ])('refuses %o with a clear invalid_params error and starts nothing', async (input, message) => {
    h = new Harness();
    await rejects(h.manager.createSession(input as never), 'invalid_params', message);
    expect(await h.manager.listSessions({ all: true })).toEqual([]);
  });

  it('refuses an id that is taken by a live session, and reuses that of a terminated one', async () => {
    h = new Harness();
    await h.create({ id: 'dup' });
    await rejects(h.manager.createSession({ id: 'dup' }), 'already_exists', /session dup already exists/);
    await h.manager.terminateSession('dup');
    await h.create({ id: 'dup' });
    expect((await h.manager.getSessionInfo('dup')).status).toBe('active');
  });

  it('fails a start whose child never becomes ready: terminated with error, nothing left', async () => {
    h = new Harness({ startTimeoutMs: 1500 });
    await rejects(
      h.manager.createSession({ id: 'slow', children: [{ name: 'mute', file: fixture('never-ready.mjs') }] }),
      'start_failed',
      /session slow failed to start: child mute was not ready within the start timeout \(1500 ms\)/,
    );
    const info = await h.manager.getSessionInfo('slow');
    expect(info).toMatchObject({ status: 'terminated', supervisorPid: null });
    expect(info.error).toMatch(/not ready within the start timeout/);
  });

  it('fails a start whose command does not exist', async () => {
    h = new Harness();
    await rejects(
      h.manager.createSession({ id: 'nocmd', children: [{ name: 'x', command: 'no-such-command-sessiond' }] }),
      'start_failed',
      /child x could not spawn no-such-command-sessiond/,
    );
    expect((await h.manager.getSessionInfo('nocmd')).status).toBe('terminated');
  });

  it('answers lookups of unknown sessions with not_found', async () => {
    h = new Harness();
    expect(h.manager.getSessionPid('nope')).toBe('not_found');
    expect(h.manager.getLlmAgentPid('nope')).toBe('not_found');
    await rejects(h.manager.getSessionInfo('nope'), 'not_found', /session nope not found/);
    await rejects(h.manager.terminateSession('nope'), 'not_found', /not found/);
    expect(() => h.manager.kill('nope')).toThrow(/not found/);
  });

  it('finds the llm_agent child and the registry key', async () => {
    h = new Harness();
    const id = await h.create({ children: [{ name: 'llm_agent', file: fixture('exit-on-signal.mjs') }] });
    expect(h.manager.getLlmAgentPid(id)).toBe((await h.manager.getSessionInfo(id)).children[0]!.pid);
    expect(h.manager.registryKey(id)).toBe(`session_supervisor:${id}`);
    expect(() => h.manager.registryKey('../x')).toThrow(/invalid session id/);
  });
});

describe('session JSON', () => {
  it('redacts secret-looking llmConfig keys at any depth', () => {
    expect(redactLlmConfig({ model: 'm', api_key: 'k', nested: { Token: 't', password: 'p', ok: 1 }, list: [{ clientSecret: 's' }] })).toEqual({
      model: 'm',
      api_key: '***',
      nested: { Token: '***', password: '***', ok: 1 },
      list: [{ clientSecret: '***' }],
    });
  });
});

describe('memory', () => {
  it('keeps only the newest keepTerminated terminated sessions', async () => {
    h = new Harness({ keepTerminated: 1 });
    for (const id of ['old', 'new']) {
      await h.create({ id });
      await h.manager.terminateSession(id);
    }
    expect((await h.manager.listSessions({ all: true })).map((s) => s.id)).toEqual(['new']);
  });
});
