// Issue 15, the daemon half, as a user meets it through sessionctl: durations past 2^31 ms,
// a session with no child left, and a create refused for capacity that keeps the spare.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import type { DaemonStatus } from '../../src/control/protocol.js';
import { entryPath } from '../../src/process/entries.js';
import { fixture } from '../manager/harness.js';
import { Harness, waitFor } from './harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

const DAY = 86_400_000;

// A daemon started by hand, with flags the CLI's autostart does not give.
async function startDaemon(args: readonly string[]): Promise<void> {
  const daemon = spawn(process.execPath, [entryPath('sessiond'), '--home', h.home, ...args], { detached: true, stdio: 'ignore' });
  daemon.unref();
  h.seen.add(daemon.pid!);
  await waitFor(async () => (await h.cli(['daemon', 'status'])).exitCode === 0, 'the daemon to answer');
}

describe('durations up to 365 days', { timeout: 60_000 }, () => {
  it('a 30-day ttl session stays active; 366 days is bad usage naming the bound', async () => {
    const session = await h.create(['--ttl-ms', String(30 * DAY)]);
    // The one fixed wait: a ttl past 2^31 ms used to fire at once; it must not fire now.
    await sleep(1500);
    const info = await h.json<SessionInfo>(['info', session.id]);
    expect(info.status).toBe('active');
    expect(info.limits.ttlMs).toBe(30 * DAY);

    const tooLong = await h.cli(['create', '--ttl-ms', String(366 * DAY)]);
    expect(tooLong.exitCode).toBe(2);
    expect(tooLong.stderr).toMatch(/365 days/);
    const idle = await h.cli(['create', '--idle-terminate-ms', String(366 * DAY)]);
    expect(idle.exitCode).toBe(2);
    expect(idle.stderr).toMatch(/365 days/);
    const send = await h.cli(['send', session.id, '--timeout-ms', String(366 * DAY), '"hi"']);
    expect(send.exitCode).toBe(2);
    expect(send.stderr).toMatch(/365 days/);
    // Nothing was started by the refused creates.
    expect((await h.json<SessionInfo[]>(['list', '--all'])).map((s) => s.id)).toEqual([session.id]);
  });
});

describe('send without --child, and a session with no child left', { timeout: 90_000 }, () => {
  it('send goes to the first child with an onMessage handler; none: exit 1 naming the children', async () => {
    const session = await h.create(['--command', 'sleeper=sleep 1000', '--child', `agent=${fixture('agent.mjs')}`]);
    const sent = await h.cli(['send', session.id, '{"op":"echo","value":1}']);
    expect(sent.stderr).toBe('');
    expect(JSON.parse(sent.stdout)).toEqual({ echo: 1, child: 'agent' });
    const quiet = await h.create(['--command', 'sleeper=sleep 1000']);
    const none = await h.cli(['send', quiet.id, '"hi"']);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toMatch(/onMessage handler.*sleeper/);
  });

  it('the last child removed: send and logs say so, a daemon restart brings it back active, a child can be added again', async () => {
    const session = await h.create(['--id', 'emptied']);
    expect((await h.cli(['child', 'stop', session.id, 'placeholder'])).exitCode).toBe(0);
    expect((await h.cli(['child', 'remove', session.id, 'placeholder'])).exitCode).toBe(0);
    const info = await h.json<SessionInfo>(['info', session.id]);
    expect(info.status).toBe('active');
    expect(info.children).toEqual([]);
    for (const args of [['send', session.id, '"hi"'], ['logs', session.id], ['logs', session.id, '--timestamps']]) {
      const result = await h.cli(args);
      expect(result.stderr, args.join(' ')).toMatch(/has no child \(the last one was removed\)/);
      expect(result.stderr).not.toMatch(/internal/);
      expect(result.exitCode).toBe(args[0] === 'send' ? 1 : 3);
    }
    expect((await h.cli(['daemon', 'restart'])).exitCode).toBe(0);
    const back = await waitFor(async () => {
      const s = await h.json<SessionInfo>(['info', session.id]);
      return s.status === 'initializing' ? null : s;
    }, 'the session back after the restart', 10_000);
    expect(back.status).toBe('active');
    expect(back.children).toEqual([]);
    expect((await h.cli(['child', 'add', session.id, '--child', `agent=${fixture('agent.mjs')}`])).exitCode).toBe(0);
    expect(JSON.parse((await h.cli(['send', session.id, '{"op":"echo","value":2}'])).stdout)).toEqual({ echo: 2, child: 'agent' });
    h.noteSession(await h.json<SessionInfo>(['info', session.id]));
  });
});

describe('capacity before the spare', { timeout: 60_000 }, () => {
  it('a create refused for --max-sessions leaves the ready spare as it was', async () => {
    await startDaemon(['--max-sessions', '1', '--warm', '1']);
    await h.create();
    const status = () => h.json<DaemonStatus>(['daemon', 'status']);
    const ready = await waitFor(async () => ((await status()).spares ?? []).find((s) => s.placeholderPid !== null), 'a ready spare', 20_000);
    const refused = await h.cli(['create']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/--max-sessions/);
    expect((await status()).spares?.map((s) => s.supervisorPid)).toEqual([ready.supervisorPid]);
  });
});

describe('one lookup: a session only the store knows', { timeout: 90_000 }, () => {
  it('every method that needs its processes answers it the same way; reads come from the store', async () => {
    const session = await h.create(['--id', 'bygone']);
    expect((await h.cli(['terminate', session.id])).exitCode).toBe(0);
    // A new daemon holds no terminated session in memory: this one is in the store only.
    expect((await h.cli(['daemon', 'restart'])).exitCode).toBe(0);
    const stored = /session bygone is terminated \(known from the store only\): /;
    const needsProcesses = [
      ['pause', 'bygone'], ['resume', 'bygone'], ['kill', 'bygone'], ['kill', 'bygone', '--child', 'placeholder'],
      ['restart', 'bygone'], ['send', 'bygone', '"hi"'], ['child', 'stop', 'bygone', 'placeholder'],
      ['child', 'restart', 'bygone', 'placeholder'], ['child', 'remove', 'bygone', 'placeholder'],
      ['child', 'add', 'bygone', '--command', 'more=sleep 100'],
    ];
    for (const args of needsProcesses) {
      const result = await h.cli(args);
      expect([args.join(' '), result.exitCode, result.stderr.trim()]).toEqual([args.join(' '), 1, expect.stringMatching(stored)]);
    }
    for (const args of [['info', 'bygone'], ['terminate', 'bygone'], ['logs', 'bygone']]) {
      expect((await h.cli(args)).exitCode, args.join(' ')).toBe(0);
    }
    expect((await h.json<SessionInfo>(['terminate', 'bygone'])).status).toBe('terminated');
    expect((await h.cli(['info', 'nobody-at-all'])).exitCode).toBe(3);
  });
});

describe('a state dir that cannot be one', { timeout: 60_000 }, () => {
  it('--home naming a file, or a path through one: exit 2 saying so, for every command; nothing started', async () => {
    const file = join(h.home, 'a-file');
    writeFileSync(file, '');
    for (const home of [file, join(file, 'below')]) {
      for (const args of [['list'], ['daemon', 'status'], ['create'], ['info', 'x']]) {
        const result = await h.cli(args, { home });
        expect(result.exitCode, `${args.join(' ')} --home ${home}`).toBe(2);
        expect(result.stderr).toMatch(/^sessionctl: the state dir .* (is not a directory|cannot be used \(ENOTDIR\)): give --home a directory/);
        expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      }
    }
    expect(h.daemonPid()).toBeNull();
  });
});
