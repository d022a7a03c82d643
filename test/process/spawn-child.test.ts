// The supervisor's spawner on real processes: IPC both ways, exits learnt from events, its own group.
import { once } from 'node:events';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { EXIT_NO_LEAF, type ChildrenLeaf } from '../../src/cgroup/children-leaf.js';
import { readStat } from '../../src/process/proc.js';
import { spawnProcess, type Spawned } from '../../src/process/spawn-child.js';
import { expectAllGone, killAll, tempHome } from '../helpers/proc.js';

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

describe('into a cgroup leaf (the trampoline: the child writes its pid, then execs its program)', () => {
  // Plain files stand for cgroup.procs: what matters is that the child writes its own pid there before its program runs.
  const home = tempHome('sessiond-leaf-');
  afterAll(() => home.cleanup());
  const leaf = (...names: string[]): ChildrenLeaf => ({ procs: names.map((name) => join(home.dir, name)), freezer: null });

  test('a Node module keeps its pid, its group and its IPC channel; its pid is in every procs file first', async () => {
    const into = leaf('a.procs', 'b.procs');
    const proc = spawned({ file: echo }, { stdout: 'pipe', stderr: 'pipe', leaf: into });
    expect(await reply(proc, { hello: 'through sh' })).toEqual({ hello: 'through sh' });
    for (const file of into.procs) expect(readFileSync(file, 'utf8')).toBe(`${proc.pid}\n`);
    expect(readStat(proc.pid)).toMatchObject({ pgrp: proc.pid, ppid: process.pid });
    expect(readFileSync(`/proc/${proc.pid}/comm`, 'utf8').trim()).toBe('node');
  });

  test('a command found in PATH runs with its arguments; one not found is no spawn at all (exit 127), as without a leaf', async () => {
    const proc = spawned({ command: 'sh' }, { args: ['-c', 'echo "$0 $1"', 'x', 'y'], stdout: 'pipe', stderr: 'pipe', leaf: leaf('c.procs') });
    const out = once(proc.subprocess.stdout!, 'data');
    expect(String((await out)[0])).toBe('x y\n');
    expect(await proc.exited).toMatchObject({ code: 0 });
    const missing = spawned({ command: 'no-such-command-sessiond' }, { stdout: 'pipe', stderr: 'pipe', leaf: leaf('d.procs') });
    expect(missing.pid).toBe(-1);
    expect(await missing.exited).toMatchObject({ code: 127 });
  });

  test('a leaf it cannot enter: the program never runs, the child exits 125 saying why', async () => {
    const ran = join(home.dir, 'ran');
    const proc = spawned({ command: 'touch' }, { args: [ran], stdout: 'pipe', stderr: 'pipe', leaf: leaf('no-such-dir/cgroup.procs') });
    let stderr = '';
    proc.subprocess.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    const closed = once(proc.subprocess, 'close'); // its output read to the end
    expect(await proc.exited).toMatchObject({ code: EXIT_NO_LEAF });
    await closed;
    expect(existsSync(ran)).toBe(false);
    expect(stderr).toContain(`sessiond: cannot enter cgroup ${join(home.dir, 'no-such-dir/cgroup.procs')}`);
  });
});
