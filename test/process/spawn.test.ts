import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { readStat } from '../../src/process/proc.js';
import { spawnProcess, type Spawned } from '../../src/process/spawn.js';
import { expectAllGone, killAll, tempHome } from '../helpers/proc.js';
import { fixture } from './shell.js';

let home: ReturnType<typeof tempHome>;
const seen = new Set<number>();
const spawn = (proc: Spawned) => (seen.add(proc.pid), proc);

afterEach(async () => {
  killAll(seen);
  try {
    await expectAllGone([...seen]);
  } finally {
    seen.clear();
    home?.cleanup();
  }
});

async function text(stream: Readable | null | undefined): Promise<string> {
  let out = '';
  for await (const chunk of stream!) out += String(chunk);
  return out;
}

// Field 6 of /proc/PID/stat, counted from the last ')' as readStat does.
function sessionOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
}

describe('spawnProcess', () => {
  it('runs a Node module with an IPC channel, its arguments and its environment', async () => {
    const proc = spawn(spawnProcess({ file: fixture('echo-ipc-args.mjs') }, { args: ['one', 'two words'], env: { ECHO_VAR: 'set' }, stdout: 'pipe', stderr: 'pipe' }));
    const reply = proc.subprocess.getOneMessage!();
    await proc.subprocess.sendMessage!({ hello: 1 });
    expect(await reply).toEqual({ echo: { hello: 1 }, env: 'set', args: ['one', 'two words'] });
    expect(proc.hasExited()).toBe(false);
    proc.subprocess.disconnect();
    expect(await proc.exited).toMatchObject({ code: 0, signal: null });
    expect(proc.hasExited()).toBe(true);
  });

  it('runs a command without a shell: its arguments reach it as they are', async () => {
    const proc = spawn(spawnProcess({ command: 'echo' }, { args: ['a b', '$HOME', '*', ';', 'ls'], stdout: 'pipe', stderr: 'ignore' }));
    const out = text(proc.subprocess.stdout);
    expect(await proc.exited).toMatchObject({ code: 0, signal: null });
    expect(await out).toBe('a b $HOME * ; ls\n');
  });

  it('hands a file descriptor to the process as its output', async () => {
    home = tempHome();
    const path = join(home.dir, 'out.log');
    const fd = openSync(path, 'a');
    const proc = spawn(spawnProcess({ command: 'sh' }, { args: ['-c', 'echo out; echo err >&2'], stdout: fd, stderr: fd }));
    closeSync(fd);
    await proc.exited;
    expect(readFileSync(path, 'utf8')).toBe('out\nerr\n');
  });

  it('gives the process no stdin: a reader of stdin ends at once', async () => {
    const proc = spawn(spawnProcess({ command: 'cat' }, { stdout: 'ignore', stderr: 'ignore' }));
    expect(await proc.exited).toMatchObject({ code: 0, signal: null });
  });

  it('a command that does not exist exits with code 127, with no pid', async () => {
    const proc = spawnProcess({ command: '/nonexistent/sessiond-test' }, { stdout: 'pipe', stderr: 'pipe' });
    expect(proc.pid).toBe(-1);
    const exit = await proc.exited;
    expect(exit).toMatchObject({ code: 127, signal: null });
    expect(proc.hasExited()).toBe(true);
    expect(new Date(exit.at).toISOString()).toBe(exit.at);
  });

  it('a command with a space in its name is not split', async () => {
    const proc = spawnProcess({ command: 'echo hello' }, { stdout: 'ignore', stderr: 'ignore' });
    expect(await proc.exited).toMatchObject({ code: 127, signal: null });
  });

  it("reports the exit code, or the signal that ended the process", async () => {
    const failing = spawn(spawnProcess({ command: 'sh' }, { args: ['-c', 'exit 3'], stdout: 'ignore', stderr: 'ignore' }));
    expect(await failing.exited).toMatchObject({ code: 3, signal: null });
    const killed = spawn(spawnProcess({ command: 'sleep' }, { args: ['1000'], stdout: 'ignore', stderr: 'ignore' }));
    process.kill(killed.pid, 'SIGKILL');
    expect(await killed.exited).toMatchObject({ code: null, signal: 'SIGKILL' });
  });

  it('each spawned process leads its own process group and session', async () => {
    const procs = [
      spawn(spawnProcess({ command: 'sleep' }, { args: ['1000'], stdout: 'ignore', stderr: 'ignore' })),
      spawn(spawnProcess({ file: fixture('echo-ipc-args.mjs') }, { stdout: 'ignore', stderr: 'ignore' })),
    ];
    for (const proc of procs) {
      expect(readStat(proc.pid)?.pgrp).toBe(proc.pid);
      expect(sessionOf(proc.pid)).toBe(proc.pid);
      expect(readStat(proc.pid)?.ppid).toBe(process.pid);
    }
    expect(readStat(process.pid)?.pgrp).not.toBe(procs[0]!.pid);
    for (const proc of procs) process.kill(proc.pid, 'SIGKILL');
    await Promise.all(procs.map((proc) => proc.exited));
  });
});
