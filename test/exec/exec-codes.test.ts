import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning, waitFor } from '../helpers/proc.js';
import { sessionWithClient } from './harness.js';

let s: Awaited<ReturnType<typeof sessionWithClient>>;
afterEach(async () => s?.close());

describe('exec: exit codes, signals, timeouts, a vanished caller', { timeout: 90_000 }, () => {
  it("sessionctl exec exits with CMD's code, 128+N after signal N, 127 when CMD is not found; its output is the caller's", async () => {
    s = await sessionWithClient('codes');
    const { h } = s;
    const three = await h.cli(['exec', 'codes', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(three).toMatchObject({ exitCode: 3, stdout: 'out', stderr: 'err' });
    expect((await h.cli(['exec', 'codes', '--', 'true'])).exitCode).toBe(0);
    expect((await h.cli(['exec', 'codes', '--', 'sh', '-c', 'kill -KILL $$'])).exitCode).toBe(137);
    expect((await h.cli(['exec', 'codes', '--', 'sh', '-c', 'kill -TERM $$'])).exitCode).toBe(143);
    const missing = await h.cli(['exec', 'codes', '--', 'no-such-program-here']);
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain('no-such-program-here: command not found');
    // Without `--`, the first word after the id begins the command; its own flags are its own.
    expect(await h.cli(['exec', 'codes', 'sh', '-c', 'echo "$0 $1"', 'a', '--tty'])).toMatchObject({ exitCode: 0, stdout: 'a --tty' });
    // The session's logs got none of it.
    expect((await h.cli(['logs', 'codes'])).stdout).not.toContain('out');
    // Bad usage and a missing session, before anything runs.
    expect((await h.cli(['exec', 'codes'])).exitCode).toBe(2);
    expect((await h.cli(['exec', 'codes', '--timeout-ms', '0', '--', 'true'])).exitCode).toBe(2);
    expect((await h.cli(['exec', 'codes', '--timeout-ms', String(366 * 86_400_000), '--', 'true'])).stderr).toContain('365 days');
    expect((await h.cli(['exec', 'nosuchsession', '--', 'true'])).exitCode).toBe(3);
    expect((await h.cli(['exec', 'codes', '--cwd', '/no/such/dir', '--', 'true'])).exitCode).toBe(2);
  });

  it('the library resolves code, signal and timedOut', async () => {
    s = await sessionWithClient('lib');
    expect(await s.client.exec('lib', ['sh', '-c', 'cat; exit 4'], { input: 'in' })).toEqual({ code: 4, signal: null, timedOut: false, stdout: 'in', stderr: '' });
    expect(await s.client.exec('lib', ['sh', '-c', 'kill -KILL $$'])).toMatchObject({ code: null, signal: 'SIGKILL', timedOut: false });
    expect(await s.client.exec('lib', ['no-such-program-here'])).toMatchObject({ code: 127, signal: null });
  });

  it('--timeout-ms: SIGTERM to the whole tree, SIGKILL 5 s later for one that ignores it; exit 124 and nothing left', async () => {
    s = await sessionWithClient('slow');
    const started = Date.now();
    // The shell ignores SIGTERM and so does its sleep (an ignored signal stays ignored across exec).
    const result = await s.h.cli(['exec', 'slow', '--timeout-ms', '300', '--', 'sh', '-c', "trap '' TERM; sleep 60; echo never"]);
    const took = Date.now() - started;
    expect(result.exitCode).toBe(124);
    expect(took).toBeGreaterThanOrEqual(5000);
    const pid = await s.execPid('sh');
    expect(isRunning(pid)).toBe(false);
    const cooperative = await s.client.exec('slow', ['sleep', '60'], { timeoutMs: 200 });
    expect(cooperative).toMatchObject({ timedOut: true, signal: 'SIGTERM' });
    expect((await s.h.cli(['exec', 'slow', '--timeout-ms', '200', '--', 'sleep', '60'])).exitCode).toBe(124);
  });

  it('an exec leaves no process behind: one that left its group with setsid is gone once it ends', async () => {
    s = await sessionWithClient('escape');
    const { stdout, code } = await s.client.exec('escape', ['sh', '-c', 'setsid sleep 1000 > /dev/null 2>&1 & echo $!']);
    expect(code).toBe(0);
    const escaped = Number(stdout.trim());
    await waitFor(() => !isRunning(escaped), 'the setsid sleep to be swept', 5000);
  });

  it('a caller SIGKILLed takes its exec with it, and a child of the session is untouched', async () => {
    s = await sessionWithClient('caller');
    const before = await s.client.getSessionInfo('caller');
    const cli = s.spawnCli(['--', 'sh', '-c', 'sleep 1000 & sleep 1001']);
    const pid = await s.execPid('sh');
    const sleeper = await waitFor(() => (readChildren(pid).length === 2 ? readChildren(pid) : null), 'the exec to start its sleeps');
    cli.kill('SIGKILL');
    await cli;
    await waitFor(() => [pid, ...sleeper].every((p) => !isRunning(p)), 'the exec and its tree to be gone', 8000);
    const after = await s.client.getSessionInfo('caller');
    expect(after.children).toEqual(before.children);
    expect(after.restarts).toBe(0);
    const exited = await waitFor(async () => (await s.events()).find((e) => e.type === 'exec.exited' && e.pid === pid), 'exec.exited');
    expect(exited).toMatchObject({ program: 'sh', signal: 'SIGTERM', code: null });
  });

  it('a caller stopped by Ctrl-C exits 130 (SIGTERM: 143), as a shell would, and its exec is gone', async () => {
    s = await sessionWithClient('interrupted');
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      const cli = s.spawnCli(['--', 'sleep', '1000']);
      const pid = await waitFor(async () => {
        const seen = await s.events();
        return seen.filter((e) => e.type === 'exec.started').map((e) => e.pid as number).find((p) => isRunning(p));
      }, `the exec before ${signal}`);
      cli.kill(signal);
      expect((await cli).exitCode).toBe(code);
      await waitFor(() => !isRunning(pid), `the exec to be gone after ${signal}`, 8000);
    }
  });

  it("an exec counts toward the session's memoryMax where the daemon watches it (no cgroups)", async () => {
    s = await sessionWithClient('watched', undefined, ['--cgroups', 'off']);
    const limited = await s.client.create({ id: 'watched-limited', memoryMax: 150 * 1024 * 1024 });
    s.h.noteSession(limited);
    const hog = 'const b = Buffer.alloc(300 * 1024 * 1024, 1); setTimeout(() => console.log(b.length), 15000)';
    expect(await s.client.exec('watched-limited', [process.execPath, '-e', hog])).toMatchObject({ code: null, signal: 'SIGKILL' });
  });
});

function readChildren(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
