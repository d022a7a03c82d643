import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { isRunning, waitFor } from '../helpers/proc.js';
import { Harness } from './harness.js';

const AGENT = join(import.meta.dirname, '..', 'fixtures', 'agent.mjs');

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

const children = (session: SessionInfo) => session.children.map((c) => [c.name, c.status]);

describe('child add, stop, restart, remove and restart ID', { timeout: 90_000 }, () => {
  it('administers the children of a running session, with the contract’s exit codes', async () => {
    await h.create(['--id', 'live-1']);
    const added = await h.cli(['child', 'add', 'live-1', '--child', `llm_agent=${AGENT}`]);
    expect(added.exitCode).toBe(0);
    const pid = Number(added.stdout);
    expect(isRunning(pid)).toBe(true);
    expect(await h.cli(['llm-agent', 'live-1'])).toMatchObject({ exitCode: 0, stdout: String(pid) });
    let session = await h.json<SessionInfo>(['info', 'live-1']);
    h.noteSession(session);
    expect(children(session)).toEqual([['placeholder', 'running'], ['llm_agent', 'running']]);
    expect(session.children[1]).toMatchObject({ pid, restarts: 0, significant: false });

    const again = await h.cli(['child', 'add', 'live-1', '--child', `llm_agent=${AGENT}`]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/already has a child named llm_agent/);
    const permanent = await h.cli(['child', 'add', 'live-1', '--command', 'bad=sleep 100', '--significant']);
    expect(permanent.exitCode).toBe(2);
    expect(permanent.stderr).toMatch(/--significant: only a transient or temporary child may be significant/);
    expect((await h.cli(['child', 'add', 'live-1'])).exitCode).toBe(2);
    expect((await h.cli(['child', 'add', 'live-1', '--child', `a=${AGENT}`, '--command', 'b=sleep 1'])).exitCode).toBe(2);
    expect((await h.cli(['child', 'add', 'live-1', '--child', 'noequals'])).exitCode).toBe(2);
    expect((await h.cli(['child', 'add', 'live-1', '--child', 'gone=./no-such-module.mjs'])).exitCode).toBe(2);
    expect((await h.cli(['child', 'add', 'live-1', '--command', 'x=sleep 100', '--shutdown-ms', '-5'])).exitCode).toBe(2);
    const unknown = await h.cli(['child', 'add', 'nobody-here', '--child', `a=${AGENT}`]);
    expect(unknown.exitCode).toBe(3);
    // Nothing of the refused adds changed the session.
    expect(children(await h.json<SessionInfo>(['info', 'live-1']))).toEqual([['placeholder', 'running'], ['llm_agent', 'running']]);

    const stopped = await h.cli(['child', 'stop', 'live-1', 'llm_agent']);
    expect(stopped).toMatchObject({ exitCode: 0, stdout: '' });
    expect(isRunning(pid)).toBe(false);
    expect((await h.cli(['child', 'stop', 'live-1', 'llm_agent'])).exitCode).toBe(0); // a stopped child: done already
    session = await h.json<SessionInfo>(['info', 'live-1']);
    expect(session.children[1]).toMatchObject({ name: 'llm_agent', status: 'stopped', pid: null });
    expect(await h.cli(['llm-agent', 'live-1'])).toMatchObject({ exitCode: 3 });

    const running = await h.cli(['child', 'remove', 'live-1', 'placeholder']);
    expect(running.exitCode).toBe(1);
    expect(running.stderr).toMatch(/placeholder is running: stop it/);
    for (const action of ['stop', 'restart', 'remove']) {
      const missing = await h.cli(['child', action, 'live-1', 'nobody']);
      expect(missing.exitCode, action).toBe(3);
      expect(missing.stderr).toMatch(/has no child named nobody; its children are placeholder, llm_agent/);
    }
    expect((await h.cli(['child', 'stop', 'nobody-here', 'placeholder'])).exitCode).toBe(3);

    const restarted = await h.cli(['child', 'restart', 'live-1', 'llm_agent']);
    expect(restarted.exitCode).toBe(0);
    const newPid = Number(restarted.stdout);
    expect(newPid).not.toBe(pid);
    expect(isRunning(newPid)).toBe(true);
    h.noteSession(await h.json<SessionInfo>(['info', 'live-1']));

    const json = await h.json<SessionInfo>(['child', 'stop', 'live-1', 'llm_agent']);
    expect(json.children[1]).toMatchObject({ status: 'stopped' });
    expect((await h.cli(['child', 'remove', 'live-1', 'llm_agent'])).exitCode).toBe(0);
    expect(children(await h.json<SessionInfo>(['info', 'live-1']))).toEqual([['placeholder', 'running']]);

    const types = (await h.cli(['events', '--session', 'live-1', '--json'])).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).type as string);
    expect(types).toEqual(expect.arrayContaining(['child.added', 'child.stopped', 'child.restarted', 'child.removed']));
  });

  it('child add --json prints the session; --cwd (relative to here) and --env reach the child; the added child stops first', async () => {
    const here = realpathSync(h.home);
    mkdirSync(join(here, 'work'));
    await h.create(['--id', 'live-2', '--child', `first=${AGENT}`]);
    const result = await h.cli(['child', 'add', 'live-2', '--child', `second=${AGENT}`, '--cwd', 'work', '--env', 'AGENT_ENV=yes', '--restart', 'transient', '--shutdown-ms', '2000', '--json'], { cwd: here });
    expect(result.exitCode).toBe(0);
    const session = JSON.parse(result.stdout) as SessionInfo;
    h.noteSession(session);
    expect(session.children.map((c) => [c.name, c.cwd])).toEqual([['first', expect.any(String)], ['second', join(here, 'work')]]);
    expect(JSON.parse((await h.cli(['send', 'live-2', '--child', 'second', '{"op":"cwd"}'])).stdout)).toEqual({ cwd: join(here, 'work'), env: 'yes' });
    expect((await h.cli(['child', 'add', 'live-2', '--child', `third=${AGENT}`, '--cwd', 'no-such-dir'], { cwd: here })).exitCode).toBe(2);

    expect((await h.cli(['terminate', 'live-2'])).exitCode).toBe(0);
    const exits = (await h.cli(['events', '--session', 'live-2', '--json'])).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type === 'child.exited');
    expect(exits.map((e) => e.child)).toEqual(['second', 'first']);
  });

  it('restart ID renews every child in start order; an unknown session exits 3', async () => {
    const before = await h.create(['--id', 'live-3', '--child', `a=${AGENT}`, '--command', 'b=sleep 1000', '--max-restarts', '0']);
    expect(await h.cli(['restart', 'live-3'])).toMatchObject({ exitCode: 0, stdout: '' });
    const after = await h.json<SessionInfo>(['restart', 'live-3']); // twice: a requested restart counts toward no intensity
    h.noteSession(after);
    expect(after.status).toBe('active');
    expect(after.children.every((c, i) => c.status === 'running' && c.pid !== before.children[i]!.pid)).toBe(true);
    const restarted = (await h.cli(['events', '--session', 'live-3', '--json'])).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type === 'child.restarted');
    expect(restarted.map((e) => e.child)).toEqual(['a', 'b', 'a', 'b']);
    expect((await h.cli(['restart', 'nobody-here'])).exitCode).toBe(3);
  });

  it('daemon restart brings back what the session became: the added child, the stopped one stopped', async () => {
    await h.create(['--id', 'live-4', '--child', `a=${AGENT}`]);
    expect((await h.cli(['child', 'add', 'live-4', '--child', `b=${AGENT}`])).exitCode).toBe(0);
    expect((await h.cli(['child', 'add', 'live-4', '--command', 'c=sleep 1000'])).exitCode).toBe(0);
    expect((await h.cli(['child', 'stop', 'live-4', 'a'])).exitCode).toBe(0);
    expect((await h.cli(['child', 'stop', 'live-4', 'c'])).exitCode).toBe(0);
    expect((await h.cli(['child', 'remove', 'live-4', 'c'])).exitCode).toBe(0);
    h.noteSession(await h.json<SessionInfo>(['info', 'live-4']));

    expect((await h.cli(['daemon', 'restart'])).exitCode).toBe(0);
    const back = await waitActive('live-4');
    expect(children(back)).toEqual([['a', 'stopped'], ['b', 'running']]);
    expect(back.children[0]!.pid).toBeNull();
    // And still administrable: the stopped child starts on request.
    const started = await h.cli(['child', 'restart', 'live-4', 'a']);
    expect(started.exitCode).toBe(0);
    h.noteSession(await h.json<SessionInfo>(['info', 'live-4']));
  });
});

async function waitActive(id: string): Promise<SessionInfo> {
  return waitFor(async () => {
    const session = await h.json<SessionInfo>(['info', id]);
    h.noteSession(session);
    return session.status === 'active' ? session : null;
  }, `session ${id} to be active again`, 15_000, 100);
}
