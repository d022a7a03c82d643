import { existsSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/contract/events.js';
import type { SessionInfo } from '../../src/contract/session.js';
import { expectAllGone, isRunning, runningDescendants, waitFor } from '../helpers/proc.js';
import { Harness } from '../cli/harness.js';
import { Store } from '../../src/store/index.js';
import { SessionClient } from '../../src/control/client.js';
import { childSpecFor, recordFor, specFor } from '../store/helpers.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

const pidsOf = (sessions: readonly SessionInfo[]) => sessions.flatMap((s) => [s.supervisorPid!, ...s.children.map((c) => c.pid!)]);
const events = async (since = 0) => (await h.cli(['events', '--since', String(since), '--json'])).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as StoredEvent);

async function allActive(ids: readonly string[]): Promise<SessionInfo[] | null> {
  const sessions = await h.json<SessionInfo[]>(['list']);
  for (const s of sessions) h.noteSession(s);
  const ok = ids.every((id) => sessions.some((s) => s.id === id && s.status === 'active' && s.children.every((c) => c.status === 'running')));
  return ok ? sessions.filter((s) => ids.includes(s.id)) : null;
}

describe('nothing lost: the store and resurrection', { timeout: 60_000 }, () => {
  it('daemon restart brings back the same sessions, active, with new pids; old processes are gone first', async () => {
    const a = await h.create(['--id', 'keep-a', '--metadata', 'task=one', '--llm-config', '{"model":"m","api_key":"k"}']);
    const b = await h.create(['--id', 'keep-b', '--strategy', 'one_for_all', '--command', 'sleeper=sleep 1000']);
    await h.create(['--id', 'gone']);
    expect((await h.cli(['terminate', 'gone'])).exitCode).toBe(0);
    const oldPids = pidsOf([a, b]);
    const oldDaemon = h.daemonPid()!;

    const restart = await h.cli(['daemon', 'restart']);
    expect(restart.exitCode).toBe(0);
    const newDaemon = Number(restart.stdout);
    expect(newDaemon).not.toBe(oldDaemon);
    expect(oldPids.filter(isRunning)).toEqual([]);
    expect(isRunning(oldDaemon)).toBe(false);

    const back = await waitFor(() => allActive(['keep-a', 'keep-b']), 'sessions active again', 10_000);
    const [a2, b2] = ['keep-a', 'keep-b'].map((id) => back.find((s) => s.id === id)!);
    expect(a2).toMatchObject({ metadata: { task: 'one' }, llmConfig: { model: 'm', api_key: '***' }, createdAt: a.createdAt });
    expect(b2!.strategy).toBe('one_for_all');
    expect(b2!.children.map((c) => c.name)).toEqual(['sleeper']);
    for (const pid of pidsOf(back)) expect(oldPids).not.toContain(pid);

    const all = await h.json<SessionInfo[]>(['list', '--all']);
    expect(all.find((s) => s.id === 'gone')).toMatchObject({ status: 'terminated', error: null, supervisorPid: null });
    expect((await h.json<SessionInfo>(['info', 'gone'])).status).toBe('terminated');
    expect((await events()).filter((e) => e.type === 'session.resurrected').map((e) => e.session).sort()).toEqual(['keep-a', 'keep-b']);
  });

  it('daemon SIGKILLed: nothing left within 3 s; the next start brings the same ids back active with new pids', async () => {
    const sessions = await Promise.all([h.create(['--id', 'k1']), h.create(['--id', 'k2'])]);
    const daemon = h.daemonPid()!;
    const oldPids = [daemon, ...runningDescendants(daemon)];
    process.kill(daemon, 'SIGKILL');
    await expectAllGone(oldPids, 3000);

    expect((await h.cli(['daemon', 'start'])).exitCode).toBe(0);
    const back = await waitFor(() => allActive(['k1', 'k2']), 'sessions active again', 10_000);
    for (const pid of pidsOf(back)) expect(pidsOf(sessions)).not.toContain(pid);
  });

  it('events read across a restart with --since miss nothing and repeat nothing', async () => {
    await h.create(['--id', 'ev']);
    const before = await events();
    expect(before.map((e) => e.seq)).toEqual(before.map((_, i) => i + 1));
    const last = before.at(-1)!.seq;

    expect((await h.cli(['daemon', 'restart'])).exitCode).toBe(0);
    await waitFor(() => allActive(['ev']), 'ev active again');
    expect((await h.cli(['kill', 'ev', '--child', 'placeholder'])).exitCode).toBe(0);
    await h.waitRestarted('ev');

    const after = await events(last);
    expect(after.map((e) => e.seq)).toEqual(after.map((_, i) => last + i + 1));
    expect(after.map((e) => e.type)).toEqual(expect.arrayContaining(['session.resurrected', 'child.exited', 'child.restarted']));
    expect([...before, ...after].map((e) => e.seq)).toEqual([...before, ...after].map((_, i) => i + 1));
    const nobody = await h.cli(['events', '--session', 'nobody', '--json']);
    expect(nobody).toMatchObject({ exitCode: 3, stdout: '' }); // no such session: not found, not an empty journal
  });

  it('a garbage state.db stops the daemon with a clear error, and leaves the file as it was', async () => {
    writeFileSync(join(h.home, 'state.db'), 'this is not a database, just bytes '.repeat(200));
    const result = await h.cli(['daemon', 'start']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/state\.db/);
    expect(result.stderr).toMatch(/not a .*database|move .* aside/i);
  });
});

describe('a daemon SIGKILLed in the middle of creates and terminates', { timeout: 60_000 }, () => {
  it('leaves a store the next start reads without error or duplicate', async () => {
    const old = await Promise.all([h.create(['--id', 'old-1']), h.create(['--id', 'old-2'])]);
    const daemon = h.daemonPid()!;
    const pending = [
      ...Array.from({ length: 6 }, (_, i) => h.cli(['create', '--id', `mid-${i}`])),
      h.cli(['terminate', 'old-1']),
      h.cli(['terminate', 'old-2']),
    ];
    await waitFor(() => runningDescendants(daemon).length > old.length * 2 + 2, 'creates under way');
    const pids = [daemon, ...runningDescendants(daemon)];
    process.kill(daemon, 'SIGKILL');
    await Promise.all(pending);
    await expectAllGone(pids, 3000);

    expect((await h.cli(['daemon', 'start'])).exitCode).toBe(0);
    const sessions = await waitFor(async () => {
      const all = await h.json<SessionInfo[]>(['list', '--all']);
      for (const s of all) h.noteSession(s);
      return all.every((s) => s.status === 'active' || s.status === 'terminated') ? all : null;
    }, 'every session active or terminated', 15_000);
    const ids = sessions.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const seqs = (await events()).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});

describe('sessions an older daemon left half-made', { timeout: 60_000 }, () => {
  it('ends a session stuck initializing since its create, with an error; brings back one that was on its way back', async () => {
    const at = new Date().toISOString();
    const sleeper = childSpecFor({ name: 'tool', command: 'sleep', args: ['60'], shutdownMs: 1000 });
    const record = (id: string) =>
      recordFor(id, { spec: { ...specFor(id), children: [sleeper] }, status: 'initializing', supervisorPid: null, supervisorStartTime: null, children: [] }, at);
    const store = Store.open(join(h.home, 'state.db'));
    store.transaction(() => {
      store.events.append({ at, session: 'stuck', type: 'session.created' });
      store.sessions.put(record('stuck'));
      for (const type of ['session.created', 'session.active', 'session.resurrected'] as const) store.events.append({ at, session: 'returning', type });
      store.sessions.put(record('returning'));
    });
    store.close();

    expect((await h.cli(['daemon', 'start'])).exitCode).toBe(0);
    const stuck = await h.json<SessionInfo>(['info', 'stuck']);
    expect(stuck.status).toBe('terminated');
    expect(stuck.error).toMatch(/^start interrupted/);
    await waitFor(async () => (await h.json<SessionInfo>(['info', 'returning'])).status === 'active', 'the returning session to be active');
    h.noteSession(await h.json<SessionInfo>(['info', 'returning']));
  });
});

describe('retention', { timeout: 60_000 }, () => {
  it('prunes terminated sessions past --keep-terminated at start, with their log folders', async () => {
    for (const id of ['first', 'second']) {
      await h.create(['--id', id]);
      expect((await h.cli(['terminate', id])).exitCode).toBe(0);
    }
    expect((await h.cli(['daemon', 'stop'])).exitCode).toBe(0);
    expect(existsSync(join(h.home, 'logs', 'sessions', 'first'))).toBe(true);

    const daemon = execa(process.execPath, [join(import.meta.dirname, '..', '..', 'dist', 'daemon', 'sessiond.js'), '--home', h.home, '--keep-terminated', '1'], { reject: false });
    await waitFor(async () => (await h.cli(['daemon', 'status'])).exitCode === 0, 'the daemon to answer');
    h.noteDaemon();
    expect((await h.json<SessionInfo[]>(['list', '--all'])).map((s) => s.id)).toEqual(['second']);
    expect(existsSync(join(h.home, 'logs', 'sessions', 'first'))).toBe(false);
    expect(existsSync(join(h.home, 'logs', 'sessions', 'second'))).toBe(true);
    expect((await h.cli(['daemon', 'stop'])).exitCode).toBe(0);
    await daemon;
  });
  it('a create that returned is in the store: a daemon SIGKILLed right after it brings the session back', async () => {
    // The reply left before the write of session.active once (the journal writes at setImmediate):
    // a SIGKILL in between made the next daemon end it as "start interrupted". Three rounds, each
    // killing the daemon as soon as the create resolves; the next create starts the next daemon.
    const client = new SessionClient({ home: h.home, autoStart: true });
    try {
      for (const id of ['k1', 'k2', 'k3']) {
        const session = await client.create({ id });
        const daemon = h.daemonPid()!;
        process.kill(daemon, 'SIGKILL'); // at once: nothing slower (a scan of /proc) in between
        await expectAllGone([daemon, ...pidsOf([session])], 5000);
        client.close();
      }
      await waitFor(() => allActive(['k1', 'k2', 'k3']), 'every session back and active', 20_000);
    } finally {
      client.close();
    }
  });
});
