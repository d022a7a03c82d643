import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { waitFor } from '../helpers/proc.js';
import { Harness } from './harness.js';

const AGENT = join(import.meta.dirname, '..', 'fixtures', 'agent.mjs');

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

describe('create --cwd, --auto-shutdown, and cwd / significant in spec files', { timeout: 60_000 }, () => {
  it('children run in their cwd (a spec’s relative to the spec file), else in --cwd (relative to here), else here', async () => {
    const here = realpathSync(h.home);
    for (const dir of ['client', 'client/elsewhere', 'specs', 'specs/sub']) mkdirSync(join(here, dir));
    writeFileSync(
      join(here, 'specs', 'session.json'),
      JSON.stringify({ children: [{ name: 'own', file: AGENT, cwd: 'sub' }, { name: 'agent', file: AGENT, restart: 'temporary', significant: true }], autoShutdown: 'any_significant' }),
    );
    const client = join(here, 'client');
    const created = await h.cli(['create', '--id', 'cwd-1', '--spec', '../specs/session.json', '--cwd', 'elsewhere', '--child', `plain=${AGENT}`, '--json'], { cwd: client });
    expect(created.exitCode).toBe(0);
    const session = JSON.parse(created.stdout) as SessionInfo;
    h.noteSession(session);
    expect(session.autoShutdown).toBe('any_significant');
    expect(session.children.map((c) => [c.name, c.cwd, c.significant])).toEqual([
      ['own', join(here, 'specs', 'sub'), false],
      ['agent', join(client, 'elsewhere'), true],
      ['plain', join(client, 'elsewhere'), false],
    ]);
    expect(JSON.parse((await h.cli(['send', 'cwd-1', '--child', 'own', '{"op":"cwd"}'])).stdout)).toMatchObject({ cwd: join(here, 'specs', 'sub') });

    const plain = await h.create(['--id', 'cwd-2']);
    expect(plain.children[0]!.cwd).toBe(process.cwd()); // the test's working directory: the CLI's
    expect((await h.cli(['create', '--cwd', 'no-such-dir'], { cwd: client })).exitCode).toBe(2);
    expect((await h.cli(['create', '--auto-shutdown', 'sometimes'])).exitCode).toBe(2);
  });

  it('child add without --cwd runs in the session’s cwd (its create --cwd, else the creating client’s), never the adding client’s', async () => {
    const here = realpathSync(h.home);
    for (const dir of ['creator', 'creator/project', 'adder']) mkdirSync(join(here, dir));
    // The first child runs in a cwd of its own: the session's cwd is not its first child's.
    writeFileSync(join(here, 'creator', 'spec.json'), JSON.stringify({ children: [{ name: 'own', file: AGENT, cwd: '/' }] }));
    expect((await h.cli(['create', '--id', 'add-cwd-1', '--spec', 'spec.json', '--cwd', 'project'], { cwd: join(here, 'creator') })).exitCode).toBe(0);
    expect((await h.cli(['create', '--id', 'add-cwd-2', '--command', 'first=sleep 1000'], { cwd: join(here, 'creator') })).exitCode).toBe(0);
    for (const [id, expected] of [['add-cwd-1', join(here, 'creator', 'project')], ['add-cwd-2', join(here, 'creator')]] as const) {
      const added = await h.cli(['child', 'add', id, '--child', `late=${AGENT}`, '--json'], { cwd: join(here, 'adder') });
      expect(added.exitCode, added.stderr).toBe(0);
      const session = JSON.parse(added.stdout) as SessionInfo;
      h.noteSession(session);
      expect(session.children.find((c) => c.name === 'late')?.cwd).toBe(expected);
      expect(JSON.parse((await h.cli(['send', id, '--child', 'late', '{"op":"cwd"}'])).stdout)).toMatchObject({ cwd: expected });
    }
    // A relative --cwd is still the adding client's to resolve.
    const own = await h.json<SessionInfo>(['child', 'add', 'add-cwd-2', '--child', `mine=${AGENT}`, '--cwd', '.']);
    h.noteSession(own);
    expect(own.children.find((c) => c.name === 'mine')?.cwd).toBe(process.cwd());
  });

  it('--auto-shutdown any_significant: the significant child that finishes ends the session, error null', async () => {
    const session = await h.create(['--id', 'auto-1', '--auto-shutdown', 'any_significant', '--child', `agent=${AGENT}`]);
    expect(session.autoShutdown).toBe('any_significant');
    expect((await h.cli(['child', 'add', 'auto-1', '--child', `finisher=${AGENT}`, '--restart', 'temporary', '--significant'])).exitCode).toBe(0);
    h.noteSession(await h.json<SessionInfo>(['info', 'auto-1']));
    expect(JSON.parse((await h.cli(['send', 'auto-1', '--child', 'finisher', '{"op":"finish"}'])).stdout)).toEqual({ finishing: true });
    const ended = await waitFor(async () => {
      const info = await h.json<SessionInfo>(['info', 'auto-1']);
      return info.status === 'terminated' ? info : null;
    }, 'the session to end itself');
    expect(ended.error).toBeNull();
    const last = (await h.cli(['events', '--session', 'auto-1', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l)).at(-1);
    expect(last).toMatchObject({ type: 'session.terminated', reason: 'auto_shutdown', error: null });
  });
});
