import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning, waitFor } from '../helpers/proc.js';
import { sessionWithClient } from './harness.js';

let s: Awaited<ReturnType<typeof sessionWithClient>>;
afterEach(async () => s?.close());

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

describe('exec: streams, many at once, cwd and env, the session around it', { timeout: 90_000 }, () => {
  it('20 concurrent execs keep their outputs and codes apart; 20 MiB through stdin and back arrives whole', async () => {
    s = await sessionWithClient('many');
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => s.client.exec('many', ['sh', '-c', `for n in 1 2 3; do echo "run ${i} line $n"; sleep 0.05; done; echo "err ${i}" >&2; exit ${i}`])));
    runs.forEach((run, i) => {
      expect(run).toEqual({ code: i, signal: null, timedOut: false, stdout: [1, 2, 3].map((n) => `run ${i} line ${n}\n`).join(''), stderr: `err ${i}\n` });
    });
    const data = randomBytes(20 * 1024 * 1024);
    const proc = await s.client.spawn('many', ['cat']);
    const chunks: Buffer[] = [];
    proc.stdout.on('data', (c: Buffer) => chunks.push(c));
    proc.stdin.end(data);
    expect(await proc.wait()).toEqual({ code: 0, signal: null, timedOut: false });
    expect(sha(Buffer.concat(chunks))).toBe(sha(data));
  });

  it("runs in the session's cwd (or --cwd relative to it) with the children's environment and --env over it; events name the program only", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessiond-exec-cwd-'));
    try {
      s = await sessionWithClient('where', [{ name: 'worker', command: 'sleep', args: ['1000'] }]);
      await s.client.restartSession('where'); // keeps the spec: the first child's cwd is the creating client's
      const cwd = (await s.client.exec('where', ['pwd'])).stdout.trim();
      expect(cwd).toBe(process.cwd());
      expect((await s.client.exec('where', ['pwd'], { cwd: dir })).stdout.trim()).toBe(dir);
      const env = await s.client.exec('where', ['sh', '-c', 'echo "$GREETING/$HOME"'], { env: { GREETING: 'hi' } });
      expect(env.stdout.trim()).toBe(`hi/${process.env.HOME ?? ''}`);
      await s.client.exec('where', ['/bin/echo', 'secret-argument']);
      const events = (await s.events()).filter((e) => e.type.startsWith('exec.') && e.program === 'echo');
      expect(events.map((e) => e.type)).toEqual(['exec.started', 'exec.exited']);
      expect(JSON.stringify(events)).not.toContain('secret-argument');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('terminate stops a running exec (its caller sees SIGTERM) and leaves nothing', async () => {
    s = await sessionWithClient('ends');
    const proc = await s.client.spawn('ends', ['sleep', '1000']);
    expect(proc.pid).toBeGreaterThan(0);
    await s.client.terminateSession('ends');
    expect(await proc.wait()).toMatchObject({ signal: 'SIGTERM' });
    expect(isRunning(proc.pid!)).toBe(false);
  });

  it.each([
    ['the freezer', []],
    ['SIGSTOP (no cgroups)', ['--cgroups', 'off']],
  ])('a paused session freezes its execs (%s); resume continues them', async (_how, flags) => {
    s = await sessionWithClient('frozen', undefined, flags);
    // The exec counts into a file, not to its caller: a stopped supervisor relays no output, so
    // output that stops would not prove the exec itself stopped.
    const file = join(s.h.home, 'ticks');
    const proc = await s.client.spawn('frozen', ['sh', '-c', `while :; do echo tick >> ${file}; sleep 0.05; done`]);
    const ticks = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);
    await waitFor(() => ticks() > 2, 'the exec to tick');
    await s.client.pauseSession('frozen');
    const atPause = ticks();
    // The one fixed wait: it proves that nothing happens while paused.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(ticks() - atPause).toBeLessThanOrEqual(1);
    await s.client.resumeSession('frozen');
    await waitFor(() => ticks() > atPause + 3, 'the exec to tick again');
    proc.close();
    await waitFor(() => !isRunning(proc.pid!), 'the exec to go with its caller');
  });
});
