import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { SessiondError } from '../../src/contract/errors.js';
import { SESSIONCTL } from '../cli/harness.js';
import { waitFor } from '../helpers/proc.js';
import { sessionWithClient } from './harness.js';

let s: Awaited<ReturnType<typeof sessionWithClient>>;
afterEach(async () => s?.close());

const CHILDREN = [
  { name: 'echo', command: 'cat', stdin: 'pipe' as const },
  { name: 'closed', command: 'sleep', args: ['1000'] },
];

async function roundTrip(stream: Duplex, text: string): Promise<string> {
  let got = '';
  const onData = (chunk: Buffer) => (got += chunk.toString());
  stream.on('data', onData);
  stream.write(text);
  await waitFor(() => got.includes(text.trim()), `the echo of ${text.trim()}`);
  stream.off('data', onData);
  return got;
}

describe('attach to a child whose stdin is "pipe"', { timeout: 90_000 }, () => {
  it('round trips, one attacher at a time (busy), EOF detaches leaving the child running, a later attacher works, the log gets it all', async () => {
    s = await sessionWithClient('att', CHILDREN);
    const pid = (await s.client.getSessionInfo('att')).children[0]!.pid;
    const first = await s.client.attach('att', 'echo');
    expect(await roundTrip(first, 'hello\n')).toBe('hello\n');
    const busy = await s.client.attach('att', 'echo').then(() => 'attached', (error: SessiondError) => error.code);
    expect(busy).toBe('busy');
    const cli = await s.h.cli(['attach', 'att', '--child', 'echo'], { input: '' });
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr).toContain('already has an attacher');
    first.end();
    await once(first, 'close');
    const second = await s.client.attach('att', 'echo');
    expect(await roundTrip(second, 'again\n')).toBe('again\n');
    second.end();
    await once(second, 'close');
    // sessionctl attach as a transport: its stdin held open until the answer came, then EOF.
    const transport = execa(process.execPath, [SESSIONCTL, '--home', s.h.home, 'attach', 'att', '--child', 'echo'], { stdin: 'pipe', reject: false });
    let heard = '';
    transport.stdout!.on('data', (chunk: Buffer) => (heard += chunk.toString()));
    transport.stdin!.write('over the cli\n');
    await waitFor(() => heard.includes('over the cli'), 'the answer through sessionctl attach');
    transport.stdin!.end();
    expect((await transport).exitCode).toBe(0);
    const info = await s.client.getSessionInfo('att');
    expect(info.children[0]).toMatchObject({ pid, status: 'running', restarts: 0 });
    const logs = await s.h.cli(['logs', 'att', '--child', 'echo']);
    expect(logs.stdout.split('\n')).toEqual(expect.arrayContaining(['hello', 'again', 'over the cli']));
  });

  it("30 attachers in turn, each writing at once after its reply: not one byte lost in the daemon's hand-over", async () => {
    s = await sessionWithClient('turns', CHILDREN);
    for (let i = 0; i < 30; i++) {
      const stream = await s.client.attach('turns', 'echo');
      expect(await roundTrip(stream, `turn ${i}\n`)).toBe(`turn ${i}\n`);
      stream.end();
      await once(stream, 'close');
    }
  });

  it('refuses a child without stdin "pipe" (exit 1), an unknown child (exit 3); child add --stdin makes one', async () => {
    s = await sessionWithClient('refuse', CHILDREN);
    const closed = await s.h.cli(['attach', 'refuse', '--child', 'closed'], { input: '' });
    expect(closed.exitCode).toBe(1);
    expect(closed.stderr).toContain('stdin is not "pipe"');
    expect((await s.h.cli(['attach', 'refuse', '--child', 'nobody'], { input: '' })).exitCode).toBe(3);
    expect((await s.h.cli(['child', 'add', 'refuse', '--command', 'late=cat', '--stdin'])).exitCode).toBe(0);
    const late = await s.client.attach('refuse', 'late');
    expect(await roundTrip(late, 'late\n')).toBe('late\n');
    late.end();
    await once(late, 'close');
  });
});
