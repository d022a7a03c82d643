// Bounded sessions through sessionctl, the socket and SessionClient, against real daemons.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { SessionClient } from '../../src/control/client.js';
import type { DaemonStatus } from '../../src/control/protocol.js';
import { entryPath } from '../../src/process/entries.js';
import { cannotRun } from '../cgroup/harness.js';
import { procState } from '../manager/bounds-harness.js';
import { fixture } from '../manager/harness.js';
import { Harness, waitFor } from './harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

const MiB = 1024 ** 2;
const beats = ['--child', `beats=${fixture('limits/beats.mjs')}`];

// A daemon started by hand, with flags the CLI's autostart does not give.
async function startDaemon(args: readonly string[]): Promise<void> {
  const daemon = spawn(process.execPath, [entryPath('sessiond'), '--home', h.home, ...args], { detached: true, stdio: 'ignore' });
  daemon.unref();
  h.seen.add(daemon.pid!);
  await waitFor(async () => (await h.cli(['daemon', 'status'])).exitCode === 0, 'the daemon to answer');
}

function beatsLog(id: string): number {
  try {
    return readFileSync(join(h.home, 'logs', 'sessions', id, 'beats.log'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe('limits through the CLI', { timeout: 60_000 }, () => {
  it.each([
    [['--memory-max', '512Q'], /--memory-max "512Q" is not a size/],
    [['--memory-max', '0'], /is not a size/],
    [['--cpu-max', '0'], /cpuMax "0" is not a percent/],
    [['--cpu-max', '100000'], /at most \d+ \(100 × \d+ cores\)/],
    [['--max-processes', '-1'], /maxProcesses "-1" is not a positive whole number/],
    [['--ttl-ms', 'soon'], /--ttl-ms "soon" is not a positive whole number/],
    [['--idle-terminate-ms', '1.5'], /--idle-terminate-ms "1.5"/],
  ])('create %j: exit 2 with a message, nothing created', async (flags, message) => {
    const result = await h.cli(['create', ...flags]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await h.json<SessionInfo[]>(['list', '--all'])).toEqual([]);
  });

  it('the socket takes memoryMax in bytes only', async () => {
    await h.cli(['daemon', 'start']);
    const client = new SessionClient({ home: h.home });
    try {
      await expect(client.create({ memoryMax: '512M' } as never)).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('memoryMax') });
      await expect(client.create({ ttlMs: 0 })).rejects.toMatchObject({ code: 'invalid_params' });
      expect(await client.listSessions({ all: true })).toEqual([]);
    } finally {
      client.close();
    }
  });

  it.skipIf(cannotRun)('create --memory-max 512M --cpu-max 50 --max-processes 64: enforced by a cgroup, shown by info; daemon status says what it uses', async () => {
    const session = await h.create(['--memory-max', '512M', '--cpu-max', '50', '--max-processes', '64', '--ttl-ms', '600000', '--idle-terminate-ms', '300000']);
    expect(session.limits).toEqual({ memoryMax: 512 * MiB, cpuMax: 50, maxProcesses: 64, ttlMs: 600_000, idleTerminateMs: 300_000, enforcement: 'cgroup' });
    const human = await h.cli(['info', session.id]);
    expect(human.stdout).toMatch(/limits: +memory 512\.0 MiB, cpu 50%, 64 tasks, ttl 600000 ms, idle terminate 300000 ms \(enforced by its cgroup\)/);
    const status = await h.json<DaemonStatus>(['daemon', 'status']);
    expect(status.cgroups).toMatchObject({ reason: null, memory: expect.any(String), pids: expect.any(String) });
    expect(status.cgroups!.mode).not.toBe('none');
    const plain = await h.create();
    expect(plain.limits.enforcement).toBeNull();
  });

  it('--cgroups off: memory is watched, cpuMax and maxProcesses are refused (exit 1) naming what is missing, nothing created', async () => {
    await startDaemon(['--cgroups', 'off']);
    const status = await h.json<DaemonStatus>(['daemon', 'status']);
    expect(status.cgroups).toMatchObject({ mode: 'none', reason: expect.stringContaining('--cgroups off') });
    for (const [flags, missing] of [[['--cpu-max', '50'], 'cpu controller'], [['--max-processes', '10'], 'pids controller']] as const) {
      const result = await h.cli(['create', ...flags]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(missing);
    }
    expect(await h.json<SessionInfo[]>(['list', '--all'])).toEqual([]);
    const watched = await h.create(['--memory-max', '1G']);
    expect(watched.limits).toMatchObject({ memoryMax: 1024 * MiB, enforcement: 'watchdog' });
  });

  it('--ttl-ms and --idle-terminate-ms end sessions with their errors; session.expired comes first', async () => {
    // The ttl counts from the create, start included: the daemon is up first and the ttl is long
    // enough that a start on a loaded machine (CI) cannot use it up before the session runs.
    await h.cli(['daemon', 'start']);
    const [mortal, quiet] = await Promise.all([h.create(['--ttl-ms', '5000']), h.create(['--idle-terminate-ms', '2500'])]);
    const ended = async (id: string) => {
      const info = await h.json<SessionInfo>(['info', id]);
      return info.status === 'terminated' ? info : null;
    };
    expect((await waitFor(() => ended(mortal.id), 'the ttl')).error).toBe('ttl expired after 5000 ms');
    expect((await waitFor(() => ended(quiet.id), 'the idle terminate')).error).toBe('idle for 2500 ms');
    const types = (await h.cli(['events', '--session', mortal.id, '--json'])).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types.slice(-4)).toEqual(['session.expired', 'session.terminating', 'child.exited', 'session.terminated']);
  });

  it('--max-sessions 1: the second create fails with capacity (exit 1), nothing started', async () => {
    await startDaemon(['--max-sessions', '1']);
    const first = await h.create();
    const second = await h.cli(['create', '--id', 'one-too-many']);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toMatch(/at its limit of 1 sessions \(--max-sessions\)/);
    expect((await h.json<SessionInfo[]>(['list', '--all'])).map((s) => s.id)).toEqual([first.id]);
  });
});

describe('pause and resume through the CLI and SessionClient', { timeout: 60_000 }, () => {
  it('pause stops the processes, resume continues them; a paused session survives daemon restart paused', async () => {
    const session = await h.create(['--id', 'napper', ...beats]);
    await waitFor(() => beatsLog(session.id) > 3, 'beats');
    expect((await h.cli(['pause', session.id])).exitCode).toBe(0);
    expect((await h.json<SessionInfo>(['info', session.id])).status).toBe('paused');
    const paused = await h.json<SessionInfo[]>(['list']);
    expect(paused.map((s) => s.status)).toEqual(['paused']);
    expect((await h.cli(['resume', session.id])).exitCode).toBe(0);
    const before = beatsLog(session.id);
    await waitFor(() => beatsLog(session.id) > before + 3, 'beats after the resume');

    const client = new SessionClient({ home: h.home });
    try {
      await client.pauseSession(session.id);
      expect((await client.getSessionInfo(session.id)).status).toBe('paused');
    } finally {
      client.close();
    }
    expect((await h.cli(['daemon', 'restart'])).exitCode).toBe(0);
    const back = await waitFor(async () => {
      const info = await h.json<SessionInfo>(['info', session.id]);
      return info.status === 'paused' ? info : null;
    }, 'the session back, paused');
    h.noteSession(back);
    expect(back.supervisorPid).not.toBe(session.supervisorPid);
    const frozen = await h.json<DaemonStatus>(['daemon', 'status']);
    // Stopped for real: by the freezer where there is one, else each process by SIGSTOP.
    if (!frozen.cgroups?.freeze) expect(procState(back.children[0]!.pid!)).toBe('T');
    const still = beatsLog(session.id);
    expect((await h.cli(['resume', session.id])).exitCode).toBe(0);
    await waitFor(() => beatsLog(session.id) > still + 3, 'beats after the restart and the resume');
    expect((await h.json<SessionInfo>(['info', session.id])).status).toBe('active');
    const types = (await h.cli(['events', '--session', session.id, '--json'])).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types.filter((t) => t.startsWith('session.'))).toEqual([
      'session.created', 'session.active', 'session.paused', 'session.resumed', 'session.paused',
      'session.resurrected', 'session.active', 'session.paused', 'session.resumed',
    ]);
  });

  it('pause of an unknown session: exit 3; of a terminated one: exit 1', async () => {
    expect((await h.cli(['pause', 'no-such-session'])).exitCode).toBe(3);
    const session = await h.create();
    await h.cli(['terminate', session.id]);
    const result = await h.cli(['pause', session.id]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('only an active or idle session can be paused');
    expect((await h.cli(['resume', session.id])).exitCode).toBe(1);
  });
});
