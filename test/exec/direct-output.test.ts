import { execa } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requestStream } from '../../src/exec/exec-channel.js';
import { localChannels } from '../../src/exec/client-exec.js';
import { isRunning, runningDescendants, waitFor } from '../helpers/proc.js';
import { sessionWithClient } from './harness.js';

// An exec's stdout on its output connection (exec-output, paired by nonce in the supervisor):
// the process writes into the client's socket itself. Real daemons, sessions and processes.

let s: Awaited<ReturnType<typeof sessionWithClient>>;
afterEach(async () => s?.close());

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const nonce = () => randomBytes(16).toString('hex');
const socketOf = () => join(s.h.home, 'sessiond.sock');

/** Every byte a connection gives until it closes. */
function allOf(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  return new Promise((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks))));
}

/** Everything an output connection that nothing claims gets (its reply is read raw here). */
function unclaimed(id: string, key: string): Promise<Buffer> {
  const { socket, reply } = requestStream(socketOf(), 'exec-output', { id, nonce: key });
  reply.catch(() => undefined);
  return allOf(socket);
}

/** Bytes the process has written, from /proc (what a reader that does not read holds it to). */
const written = (pid: number) => Number(/^wchar:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);

describe('exec: stdout on a direct output connection', { timeout: 120_000 }, () => {
  it('20 MiB arrive whole and raw on the output connection, stdout and stderr apart; SessionClient reads it there', async () => {
    s = await sessionWithClient('direct');
    const file = join(s.h.home, 'data');
    const data = randomBytes(20 * 1024 * 1024);
    writeFileSync(file, data);
    // A raw client: the output connection carries the reply line, then nothing but the process's bytes.
    const key = nonce();
    const output = requestStream(socketOf(), 'exec-output', { id: 'direct', nonce: key });
    const exec = requestStream(socketOf(), 'exec', { id: 'direct', argv: ['sh', '-c', `cat ${file}; echo done >&2`], output: key });
    const [channel, out] = await Promise.all([exec.reply, output.reply]);
    expect(out.result).toEqual({ stream: 'stdout' });
    expect((channel.result as { pid: number }).pid).toBeGreaterThan(0);
    const raw = allOf(out.socket as Socket);
    out.socket.resume();
    channel.socket.resume();
    expect(sha(await raw)).toBe(sha(data));
    channel.socket.destroy();

    // SessionClient: the channel it opens has the output connection, and stdout and stderr stay apart.
    const opened = await localChannels(socketOf()).open('exec', { id: 'direct', argv: ['true'] });
    expect(opened.output).toBeDefined();
    opened.socket.destroy();
    opened.output?.destroy();
    const proc = await s.client.spawn('direct', ['sh', '-c', 'i=0; while [ $i -lt 2000 ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); done']);
    proc.stdin.end();
    const [stdout, stderr, exit] = await Promise.all([text(proc.stdout), text(proc.stderr), proc.wait()]);
    expect(exit).toEqual({ code: 0, signal: null, timedOut: false });
    const lines = (name: string) => Array.from({ length: 2000 }, (_, i) => `${name} ${i}\n`).join('');
    expect(stdout).toBe(lines('out'));
    expect(stderr).toBe(lines('err'));
  });

  it('an exec that writes nothing and ends at once resolves: its output connection may end before the exec replies', async () => {
    s = await sessionWithClient('quiet');
    for (let i = 0; i < 10; i++) {
      const missing = s.client.exec('quiet', ['no-such-program-here']);
      const bounded = new Promise((_, reject) => setTimeout(() => reject(new Error(`exec ${i} never resolved`)), 15_000).unref());
      expect(await Promise.race([missing, bounded])).toMatchObject({ code: 127, stdout: '' });
    }
  });

  it('a caller that destroys only stdout keeps the process running: its output is dropped, its stderr and exit arrive', async () => {
    s = await sessionWithClient('dropped');
    const proc = await s.client.spawn('dropped', ['sh', '-c', 'head -c 20000000 /dev/zero; echo done >&2']);
    proc.stdout.destroy();
    proc.stdin.end();
    const [stderr, exit] = await Promise.all([text(proc.stderr), proc.wait()]);
    expect(exit).toEqual({ code: 0, signal: null, timedOut: false });
    expect(stderr).toBe('done\n');
  });

  it('a reader that does not read holds the process back (nothing buffers its output); it runs on once read', async () => {
    s = await sessionWithClient('slow');
    const proc = await s.client.spawn('slow', ['head', '-c', String(200 * 1024 * 1024), '/dev/zero']);
    proc.stdin.end();
    // Unread, its writes stop at the sockets' buffers: the count stands still, far under 200 MiB.
    let last = -1;
    const held = await waitFor(() => {
      const now = written(proc.pid!);
      const still = now === last;
      last = now;
      return still && now > 0 ? now : null;
    }, 'the writes to stand still', 20_000, 300);
    expect(held).toBeLessThan(16 * 1024 * 1024);
    const supervisor = (await s.client.getSessionInfo('slow')).supervisorPid!;
    expect(rssOf(supervisor)).toBeLessThan(200 * 1024 * 1024);
    let bytes = 0;
    for await (const chunk of proc.stdout) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(200 * 1024 * 1024);
    expect(await proc.wait()).toEqual({ code: 0, signal: null, timedOut: false });
  });

  it("a caller SIGKILLed mid-stream takes its exec with it and leaves nothing: no process, no connection in the supervisor", async () => {
    s = await sessionWithClient('killed');
    const info = await s.client.getSessionInfo('killed');
    const supervisor = info.supervisorPid!;
    const children = info.children.map((c) => c.pid!);
    const fds = () => readdirSync(`/proc/${supervisor}/fd`).length;
    const before = fds();
    const script = `
      import { SessionClient } from ${JSON.stringify(join(import.meta.dirname, '../../dist/src/index.js'))};
      const client = new SessionClient({ home: ${JSON.stringify(s.h.home)} });
      const proc = await client.spawn('killed', ['sh', '-c', 'while :; do head -c 65536 /dev/zero; done']);
      let n = 0;
      proc.stdout.on('data', (c) => { n += c.length; if (n > 4 << 20) { proc.stdout.pause(); console.log(proc.pid); } });`;
    const caller = execa(process.execPath, ['--input-type=module', '-e', script], { reject: false });
    const pid = await new Promise<number>((resolve) => caller.stdout!.once('data', (line: Buffer) => resolve(Number(String(line).trim()))));
    expect(isRunning(pid)).toBe(true);
    caller.kill('SIGKILL');
    await caller;
    await waitFor(() => !isRunning(pid), 'the exec to go with its caller', 10_000);
    await waitFor(() => sameSet(runningDescendants(supervisor), children), "the supervisor's processes to be its children alone", 10_000);
    await waitFor(() => fds() === before, "the supervisor to hold no connection of the exec's", 10_000);
  });

  it('an exec whose output connection never comes is refused and runs nothing; one that comes alone is closed; the daemon serves on', async () => {
    s = await sessionWithClient('alone');
    const lonelyExec = requestStream(socketOf(), 'exec', { id: 'alone', argv: ['touch', join(s.h.home, 'ran')], output: nonce() });
    const lonelyOutput = requestStream(socketOf(), 'exec-output', { id: 'alone', nonce: nonce() });
    await expect(lonelyExec.reply).rejects.toMatchObject({ code: 'timeout', message: expect.stringContaining('nothing was run') });
    await expect(lonelyOutput.reply).rejects.toMatchObject({ code: 'timeout', message: expect.stringContaining('no exec of this session named its nonce') });
    expect((await s.events()).filter((e) => e.type === 'exec.started')).toEqual([]);
    expect(readdirSync(s.h.home)).not.toContain('ran');
    // Params checked at the edge: a short nonce, or a nonce beside a tty.
    await expect(requestStream(socketOf(), 'exec-output', { id: 'alone', nonce: 'abc' }).reply).rejects.toMatchObject({ code: 'invalid_params' });
    await expect(requestStream(socketOf(), 'exec', { id: 'alone', argv: ['true'], output: nonce(), tty: { cols: 80, rows: 24 } }).reply).rejects.toMatchObject({ code: 'invalid_params' });
    expect(await s.client.exec('alone', ['echo', 'still here'])).toMatchObject({ code: 0, stdout: 'still here\n' });
  });

  it("an output connection naming another session, or a nonce already claimed or waited on, gets nothing of an exec's output", async () => {
    s = await sessionWithClient('one');
    s.h.noteSession(await s.client.create({ id: 'two' }));
    // Two waiting with one nonce: the second is refused at once, the first closed unclaimed.
    const twin = nonce();
    const twins = [0, 1].map(() => requestStream(socketOf(), 'exec-output', { id: 'one', nonce: twin }).reply.then(() => 'claimed', (error: { code: string }) => error.code));
    const key = nonce();
    const thiefGot = unclaimed('two', key);
    const output = requestStream(socketOf(), 'exec-output', { id: 'one', nonce: key });
    const exec = requestStream(socketOf(), 'exec', { id: 'one', argv: ['sh', '-c', 'echo secret-of-one; sleep 0.5; echo more-of-one'], output: key });
    const [channel, out] = await Promise.all([exec.reply, output.reply]);
    const outGot = allOf(out.socket as Socket);
    out.socket.resume();
    channel.socket.resume();
    const lateGot = unclaimed('one', key);
    expect(String(await outGot)).toBe('secret-of-one\nmore-of-one\n');
    for (const got of [await thiefGot, await lateGot]) {
      expect(String(got)).not.toContain('of-one');
      expect(JSON.parse(String(got))).toMatchObject({ id: 1, error: { code: 'timeout' } });
    }
    expect((await Promise.all(twins)).sort()).toEqual(['busy', 'timeout']);
  });

  it('20 concurrent execs keep their outputs apart', async () => {
    s = await sessionWithClient('many');
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => s.client.exec('many', ['sh', '-c', `head -c 300000 /dev/zero | tr '\\0' '${String.fromCharCode(65 + i)}'; echo " err ${i}" >&2`])));
    runs.forEach((run, i) => {
      expect(run.stdout).toBe(String.fromCharCode(65 + i).repeat(300000));
      expect(run.stderr).toBe(` err ${i}\n`);
      expect(run.code).toBe(0);
    });
  });
});

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let all = '';
  for await (const chunk of stream) all += String(chunk);
  return all;
}

function rssOf(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
