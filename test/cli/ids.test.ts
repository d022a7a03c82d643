import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/contract/events.js';
import type { SessionInfo } from '../../src/contract/session.js';
import { SessionClient } from '../../src/control/client.js';
import { Harness, SESSIONCTL } from './harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

describe('session id prefixes and completion', { timeout: 60_000 }, () => {
  it('every ID argument takes a unique prefix of 4 characters or more; an ambiguous one lists the candidates', async () => {
    const [one, generated] = await Promise.all([h.create(['--id', 'abcd-one']), h.create()]);
    await h.create(['--id', 'abcd-two']);
    const uuid = generated.id.slice('session_'.length, 'session_'.length + 6);

    expect((await h.json<SessionInfo>(['info', 'abcd-o'])).id).toBe('abcd-one');
    expect((await h.json<SessionInfo>(['info', uuid])).id).toBe(generated.id);
    expect((await h.json<SessionInfo>(['info', generated.id.slice(0, 14)])).id).toBe(generated.id);
    expect(await h.cli(['find', 'abcd-o'])).toMatchObject({ exitCode: 0, stdout: String(one.supervisorPid) });
    expect((await h.json<{ pid: number }>(['kill', uuid, '--child', 'placeholder'])).pid).toBe(generated.children[0]!.pid);
    await h.waitRestarted(generated.id);

    const ambiguous = await h.cli(['info', 'abcd']);
    expect(ambiguous.exitCode).toBe(2);
    expect(ambiguous.stderr).toMatch(/session id "abcd" is ambiguous: it begins 2 session ids \(abcd-one, abcd-two\); give more of it/);
    expect((await h.cli(['terminate', 'abc'])).exitCode).toBe(3); // 3 characters: no prefix, and no such id

    // SessionClient gets the same, since the daemon resolves ids.
    const client = new SessionClient({ home: h.home });
    try {
      expect((await client.getSessionInfo('abcd-t')).id).toBe('abcd-two');
    } finally {
      client.close();
    }

    const events = await h.cli(['events', '--session', 'abcd-o', '--json']);
    const parsed = events.stdout.trim().split('\n').map((line) => JSON.parse(line) as StoredEvent);
    expect(new Set(parsed.map((e) => e.session))).toEqual(new Set(['abcd-one']));
    expect(await h.cli(['terminate', 'abcd-o'])).toMatchObject({ exitCode: 0 });
    expect((await h.json<SessionInfo>(['info', 'abcd-o'])).status).toBe('terminated'); // stored sessions resolve too
  });

  it('events --session of an unknown session exits 3', async () => {
    await h.cli(['daemon', 'start']);
    const unknown = await h.cli(['events', '--session', 'no-such-session']);
    expect(unknown.exitCode).toBe(3);
    expect(unknown.stderr).toMatch(/session no-such-session not found/);
    expect((await h.cli(['events', '--session', 'no-such-session', '--follow'])).exitCode).toBe(3);
  });

  it('completion: commands, flags, and the ids of a running daemon, in a real bash; never starts the daemon', async () => {
    // sessionctl on PATH as `npm link` or `npm install -g` puts it: a symlink to the built file.
    const bin = join(h.home, 'bin');
    mkdirSync(bin);
    symlinkSync(SESSIONCTL, join(bin, 'sessionctl'));
    const complete = async (...words: string[]) => {
      const line = ['sessionctl', '--home', h.home, ...words].map((w) => `'${w}'`).join(' ');
      const script = `source <(sessionctl completion); COMP_WORDS=(${line}); COMP_CWORD=${words.length + 2}; _sessionctl_yargs_completions; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const result = await execa('bash', ['-c', script], { env: { PATH: `${bin}:${process.env.PATH}` } });
      return result.stdout.split('\n').filter(Boolean);
    };
    expect(await complete('')).toEqual(expect.arrayContaining(['daemon', 'create', 'list', 'info', 'top', 'completion']));
    expect(await complete('daemon', 'st')).toEqual(['start', 'stop', 'status']);
    expect(await complete('create', '--max-')).toEqual(['--max-restarts', '--max-seconds', '--max-processes']);
    expect((await complete('info', '')).every((word) => word.startsWith('--'))).toBe(true); // no daemon: flags only
    expect(h.daemonPid()).toBeNull(); // asking for ids started nothing

    const [a, b] = await Promise.all([h.create(['--id', 'alpha-1']), h.create(['--id', 'beta-1'])]);
    expect((await complete('info', '')).sort()).toEqual([a.id, b.id]);
    expect(await complete('logs', 'al')).toEqual(['alpha-1']);
    expect(await complete('events', '--session', 'be')).toEqual(['beta-1']);
    expect(await complete('daemon', '')).not.toContain('alpha-1');
  });
});
