// sessionctl exec's stdin is CMD's, whatever it is: /dev/null (which the client never opens a
// stream over: src/cli/caller-stdin.ts), a file, a pipe.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, it } from 'vitest';
import { SESSIONCTL } from '../cli/harness.js';
import { sessionWithClient } from './harness.js';

let s: Awaited<ReturnType<typeof sessionWithClient>>;
afterEach(async () => s?.close());

it('CMD reads the caller’s stdin to its end: /dev/null at once, a file and a pipe whole', { timeout: 90_000 }, async () => {
  s = await sessionWithClient('stdin', [{ name: 'echo', command: 'cat', stdin: 'pipe' }]);
  const run = (stdin: { stdin: 'ignore' } | { inputFile: string } | { input: string }, args = ['exec', 'stdin', '--', 'sh', '-c', 'wc -c; echo done']) =>
    execa(process.execPath, [SESSIONCTL, '--home', s.h.home, ...args], { reject: false, ...stdin });
  expect(await run({ stdin: 'ignore' })).toMatchObject({ exitCode: 0, stdout: '0\ndone' });
  const file = join(s.h.home, 'input.txt');
  writeFileSync(file, 'x'.repeat(100_000));
  expect(await run({ inputFile: file })).toMatchObject({ exitCode: 0, stdout: '100000\ndone' });
  expect(await run({ input: 'through a pipe' })).toMatchObject({ exitCode: 0, stdout: '14\ndone' });
  // attach with nothing to send: detached at once, and the child still runs.
  expect(await run({ stdin: 'ignore' }, ['attach', 'stdin', '--child', 'echo'])).toMatchObject({ exitCode: 0, stdout: '' });
  expect((await s.client.getSessionInfo('stdin')).children[0]!.status).toBe('running');
});
