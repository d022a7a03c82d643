import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSIONCTL } from '../cli/harness.js';
import { resizedAndClosed, sessionWithClient } from './harness.js';

let s: Awaited<ReturnType<typeof sessionWithClient>>;
afterEach(async () => s?.close());

describe('exec --tty', { timeout: 90_000 }, () => {
  it("under script: CMD sees a terminal of the client's size, exits with its code, and the client's terminal is restored", async () => {
    await execa('script', ['--version']).catch(() => {
      throw new Error('this test needs script(1): apt-get install -y bsdutils (util-linux)');
    });
    s = await sessionWithClient('tty');
    const dir = mkdtempSync(join(tmpdir(), 'sessiond-tty-'));
    try {
      const exec = `${process.execPath} ${SESSIONCTL} --home ${s.h.home} exec tty --tty -- sh -c 'stty size; test -t 0 && echo on-a-tty; exit 7'`;
      const inner = `stty rows 30 cols 100; stty -g > ${dir}/before; ${exec}; echo "code=$?"; stty -g > ${dir}/after`;
      const result = await execa('script', ['-qec', inner, '/dev/null'], { reject: false, stdin: 'ignore', timeout: 60_000 });
      expect(result.stdout).toContain('30 100');
      expect(result.stdout).toContain('on-a-tty');
      expect(result.stdout).toContain('code=7');
      expect(readFileSync(join(dir, 'after'), 'utf8')).toBe(readFileSync(join(dir, 'before'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a resize reaches the program as SIGWINCH with the new size', async () => {
    s = await sessionWithClient('winch');
    await resizedAndClosed((argv, options) => s.client.spawn('winch', argv, options));
  });
});
