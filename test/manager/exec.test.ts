import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessiondError } from '../../src/contract/errors.js';
import type { SessionProcess } from '../../src/exec/remote-process.js';
import { isRunning, runningDescendants, waitFor } from '../helpers/proc.js';
import { Harness } from './harness.js';

// SessionManager's exec, spawn and attach: the session's supervisor runs them as it does over the
// daemon (test/exec/), on one end of a socket pair in the manager's own process.

let h: Harness;
afterEach(async () => h?.close());

const errorCode = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: SessiondError) => error.code);

// What a call may leave behind in this process: a listening server, or a socket file in the home.
function leftovers(): { servers: number; files: string[] } {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return { servers: handles.filter((handle) => handle instanceof Server && handle.listening).length, files: readdirSync(join(h.home.dir, 'pairs')) };
}

async function output(stream: NodeJS.ReadableStream, until: string): Promise<string> {
  let got = '';
  const onData = (chunk: Buffer) => (got += chunk.toString());
  stream.on('data', onData);
  await waitFor(() => got.includes(until), `output "${until.trim()}"`);
  stream.off('data', onData);
  return got;
}

describe('SessionManager exec, spawn and attach', { timeout: 60_000 }, () => {
  it('exec resolves code, stdout, stderr; 127 when not found; a signal; a timeout; errors as SessionClient has them; nothing left behind', async () => {
    h = new Harness();
    const id = await h.create({ id: 'mexec' });
    expect(await h.manager.exec(id, ['sh', '-c', 'echo out; echo err >&2; exit 3'])).toEqual({ code: 3, signal: null, timedOut: false, stdout: 'out\n', stderr: 'err\n' });
    expect(await h.manager.exec(id, ['sh', '-c', 'cat; echo "$X $(pwd)"'], { input: 'in:', env: { X: 'x' }, cwd: '/tmp' })).toMatchObject({ code: 0, stdout: 'in:x /tmp\n' });
    const missing = await h.manager.exec(id, ['no-such-program-here']);
    expect(missing).toMatchObject({ code: 127, signal: null });
    expect(missing.stderr).toContain('no-such-program-here: command not found');
    expect(await h.manager.exec(id, ['sh', '-c', 'kill -KILL $$'])).toMatchObject({ code: null, signal: 'SIGKILL', timedOut: false });
    expect(await h.manager.exec(id, ['sleep', '60'], { timeoutMs: 200 })).toMatchObject({ code: null, signal: 'SIGTERM', timedOut: true });
    // At once, each on a pair of its own: outputs and codes kept apart.
    const many = await Promise.all(Array.from({ length: 10 }, (_, i) => h.manager.exec(id, ['sh', '-c', `echo ${i}; exit ${i}`])));
    expect(many.map((r) => [r.code, r.stdout])).toEqual(Array.from({ length: 10 }, (_, i) => [i, `${i}\n`]));
    // The exec's events name the program, as over the daemon.
    await h.waitEvent((e) => e.type === 'exec.exited' && e.program === 'sleep', 'exec.exited of sleep');

    expect(await errorCode(h.manager.exec(id, []))).toBe('invalid_params');
    expect(await errorCode(h.manager.exec(id, ['true'], { cwd: '/no/such/dir' }))).toBe('invalid_params');
    expect(await errorCode(h.manager.exec('nosuchsession', ['true']))).toBe('not_found');
    expect(await errorCode(h.manager.attach(id, 'placeholder'))).toBe('not_supported');
    expect(await errorCode(h.manager.attach(id, 'nosuchchild'))).toBe('not_found');
    expect(leftovers()).toEqual({ servers: 0, files: [] });
    await h.manager.terminateSession(id);
    expect(await errorCode(h.manager.exec(id, ['true']))).toBe('not_running');
    expect(leftovers()).toEqual({ servers: 0, files: [] });
  });

  it('spawn streams stdin and stdout both ways as they are written, and wait() gives the exit', async () => {
    h = new Harness();
    const id = await h.create({ id: 'mspawn' });
    const proc = await h.manager.spawn(id, ['sh', '-c', 'while read line; do echo "got $line"; done; exit 5']);
    expect(proc.pid).toBeGreaterThan(0);
    proc.stdin.write('one\n');
    expect(await output(proc.stdout, 'got one\n')).toBe('got one\n');
    proc.stdin.write('two\n');
    expect(await output(proc.stdout, 'got two\n')).toBe('got two\n');
    proc.stdin.end();
    proc.stdout.resume();
    expect(await proc.wait()).toEqual({ code: 5, signal: null, timedOut: false });
  });

  it('attach joins a "stdin": "pipe" child: round trip, busy, EOF or a destroy detaches and the child runs on, a later attacher works', async () => {
    h = new Harness();
    const id = await h.create({ id: 'mattach', children: [{ name: 'echo', command: 'cat', stdin: 'pipe' }] });
    const pid = (await h.manager.getSessionInfo(id)).children[0]!.pid;
    const roundTrip = async (stream: Duplex, text: string) => {
      const heard = output(stream, text);
      stream.write(text);
      return heard;
    };
    const first = await h.manager.attach(id, 'echo');
    expect(await roundTrip(first, 'hello\n')).toBe('hello\n');
    expect(await errorCode(h.manager.attach(id, 'echo'))).toBe('busy');
    first.end();
    first.resume();
    await once(first, 'close');
    const second = await h.manager.attach(id, 'echo');
    expect(await roundTrip(second, 'again\n')).toBe('again\n');
    // Destroyed rather than ended: it detaches all the same.
    second.destroy();
    // Its supervisor learns of it when the connection closes: until then a new attacher is busy.
    const third = await waitFor(() => h.manager.attach(id, 'echo').catch((error: SessiondError) => (error.code === 'busy' ? null : Promise.reject(error))), 'the destroyed attacher to be detached');
    expect(await roundTrip(third, 'once more\n')).toBe('once more\n');
    third.end();
    third.resume();
    await once(third, 'close');
    expect((await h.manager.getSessionInfo(id)).children[0]).toMatchObject({ pid, status: 'running', restarts: 0 });
  });

  it('a spawn its caller closes, or whose streams it destroys, takes its process tree with it; the session is untouched', async () => {
    h = new Harness();
    const id = await h.create({ id: 'mclose' });
    const before = await h.manager.getSessionInfo(id);
    const goAway = [(proc: SessionProcess) => proc.close(), (proc: SessionProcess) => [proc.stdin, proc.stdout, proc.stderr].forEach((s) => s.destroy())];
    for (const leave of goAway) {
      const proc = await h.manager.spawn(id, ['sh', '-c', 'sleep 1000 & sleep 1001']);
      const pid = proc.pid!;
      const tree = await waitFor(() => (runningDescendants(pid).length === 2 ? runningDescendants(pid) : null), 'the exec to start its sleeps');
      leave(proc);
      await expect(proc.wait()).rejects.toThrow('closed before the process ended');
      await waitFor(() => [pid, ...tree].every((p) => !isRunning(p)), 'the exec and its tree to be gone', 8000);
      const exited = await h.waitEvent((e) => e.type === 'exec.exited' && e.pid === pid, 'exec.exited');
      expect(exited).toMatchObject({ program: 'sh', signal: 'SIGTERM' });
    }
    const after = await h.manager.getSessionInfo(id);
    expect(after.children).toEqual(before.children);
  });

  it("the manager's shutdown ends the execs still running", async () => {
    h = new Harness();
    const id = await h.create({ id: 'mshut' });
    const proc = await h.manager.spawn(id, ['sleep', '1000']);
    const pid = proc.pid!;
    const exit = proc.wait().then((e) => e, (error: Error) => error.message);
    await h.manager.shutdown();
    expect(isRunning(pid)).toBe(false);
    expect(await exit).toMatchObject({ signal: 'SIGTERM' });
  });
});
