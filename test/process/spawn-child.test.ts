// The supervisor's spawner on real processes: IPC both ways, exits learnt from events, its own group.
import { once } from 'node:events';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { readStat } from '../../src/process/proc.js';
import { spawnProcess, type Spawned } from '../../src/process/spawn-child.js';
import { expectAllGone, killAll } from '../helpers/proc.js';

const echo = join(import.meta.dirname, '../fixtures/echo-ipc.mjs');
const started: Spawned[] = [];

function spawned(...args: Parameters<typeof spawnProcess>): Spawned {
  const proc = spawnProcess(...args);
  started.push(proc);
  return proc;
}

async function reply(proc: Spawned, message: object): Promise<unknown> {
  const answer = once(proc.subprocess, 'message');
  proc.send(message);
  return (await answer)[0];
}

afterEach(async () => {
  const pids = started.splice(0).flatMap((p) => (p.pid > 0 ? [p.pid] : []));
  killAll(pids);
  await expectAllGone(pids);
});

test('a Node module gets an IPC channel both ways, its own process group, no stdin and the extended environment', async () => {
  const proc = spawned({ file: echo }, { env: { SPAWN_CHILD_TEST: 'yes' }, stdout: 'pipe', stderr: 'pipe' });
  expect(proc.pid).toBeGreaterThan(0);
  expect(await reply(proc, { hello: [1, 'two'] })).toEqual({ hello: [1, 'two'] });
  expect(await reply(proc, { env: 'SPAWN_CHILD_TEST' })).toEqual({ value: 'yes' });
  expect(await reply(proc, { env: 'PATH' })).toEqual({ value: process.env.PATH });
  expect(readStat(proc.pid)?.pgrp).toBe(proc.pid);
  expect(readStat(proc.pid)?.ppid).toBe(process.pid);
  expect(readlinkSync(`/proc/${proc.pid}/fd/0`)).toBe('/dev/null');
  expect(proc.hasExited()).toBe(false);

  proc.send({ exit: 3 });
  expect(await proc.exited).toMatchObject({ code: 3, signal: null });
  expect(proc.hasExited()).toBe(true);
  // The channel is closed: a late message is dropped, not thrown.
  expect(() => proc.send({ late: true })).not.toThrow();
});

test('a command runs without a channel, its output piped, its end by a signal reported as such', async () => {
  const proc = spawned({ command: 'sh' }, { args: ['-c', 'echo started; exec sleep 1000'], stdout: 'pipe', stderr: 'ignore' });
  expect(proc.subprocess.connected).toBe(false);
  const [line] = (await once(proc.subprocess.stdout!, 'data')) as [Buffer];
  expect(line.toString()).toBe('started\n');
  expect(readStat(proc.pid)?.pgrp).toBe(proc.pid);
  process.kill(-proc.pid, 'SIGKILL');
  expect(await proc.exited).toMatchObject({ code: null, signal: 'SIGKILL' });
});

test.each([
  ['an executable that does not exist', { command: 'sessiond-test-no-such-command' }, []],
  ['arguments Node refuses to pass (spawn throws)', { command: 'echo' }, ['nul\0byte']],
])('%s: reported as exit code 127, with no pid', async (_, target, args) => {
  const proc = spawned(target, { args, stdout: 'pipe', stderr: 'pipe' });
  expect(proc.pid).toBe(-1);
  expect(await proc.exited).toMatchObject({ code: 127, signal: null });
  expect(proc.hasExited()).toBe(true);
  expect(() => proc.send({ never: 'delivered' })).not.toThrow();
});
