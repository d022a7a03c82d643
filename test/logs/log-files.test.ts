import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followLog, readLastLines } from '../../src/logs/log-files.js';
import { ChildLog } from '../../src/logs/child-log.js';
import { tempHome, waitFor } from '../helpers/proc.js';
import { fixture, Harness } from '../manager/harness.js';

let home: ReturnType<typeof tempHome>;
beforeEach(() => {
  home = tempHome();
});
afterEach(() => home.cleanup());
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('log files', () => {
  it('reads the last lines, reaching into the rotated file', async () => {
    const path = join(home.dir, 'x.log');
    writeFileSync(`${path}.1`, 'a\nb\n');
    writeFileSync(path, 'c\nd\n');
    expect(await readLastLines(path, 3)).toEqual(['b', 'c', 'd']);
    expect(await readLastLines(path, 10)).toEqual(['a', 'b', 'c', 'd']);
    expect(await readLastLines(join(home.dir, 'missing.log'), 5)).toEqual([]);
  });

  it('follows appends and a rotation', async () => {
    const path = join(home.dir, 'f.log');
    writeFileSync(path, 'old\n');
    const seen: string[] = [];
    const stop = new AbortController();
    const following = followLog(path, (text) => seen.push(text), stop.signal);
    appendFileSync(path, 'one\n');
    await waitFor(() => seen.join('').includes('one'), 'appended line');
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'two\n');
    await waitFor(() => seen.join('').includes('two'), 'line after rotation');
    stop.abort();
    await following;
    expect(seen.join('')).not.toContain('old');
  });

  it('ChildLog rotates past its cap and keeps the last lines', async () => {
    const path = join(home.dir, 'c.log');
    const log = new ChildLog(path, 10);
    const stream = new PassThrough();
    log.attach(stream);
    stream.write('12345678\n');
    stream.write('abcdefgh\n');
    stream.write('tail');
    await waitFor(() => log.tail().length === 3, 'three writes');
    expect(log.tail()).toEqual(['12345678', 'abcdefgh', 'tail']);
    log.close();
    // Each write past the 10-byte cap rotated: the file before it is kept as .1, older ones dropped.
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('abcdefgh\n');
    expect(readFileSync(path, 'utf8')).toBe('tail');
  });

  it("captures a child's output to logs/sessions/<session>/<child>.log, and puts its last lines in the exit event", async () => {
    h = new Harness();
    const id = await h.create({ children: [{ name: 'talker', command: 'sh', args: ['-c', 'echo hello; echo oops >&2; exec sleep 1000'] }] });
    const path = join(h.home.dir, 'logs', 'sessions', id, 'talker.log');
    await waitFor(async () => (await readLastLines(path, 5)).length === 2, 'two lines logged');
    expect((await readLastLines(path, 5)).sort()).toEqual(['hello', 'oops']);
    h.manager.kill(id, { child: 'talker' });
    const exited = await h.waitEvent((e) => e.type === 'child.exited', 'child.exited');
    expect(exited.output).toEqual(expect.arrayContaining(['hello', 'oops']));
    await h.snapshot(id);
  });
});
