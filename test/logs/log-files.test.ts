import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followLog, readLastLines } from '../../src/logs/log-files.js';
import { ChildLog } from '../../src/logs/child-log.js';
import { decodeRecords } from '../../src/logs/log-records.js';
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
  it('reads the last lines, reaching into the rotated files', async () => {
    const path = join(home.dir, 'x.log');
    writeFileSync(`${path}.3`, 'y\nz\n');
    writeFileSync(`${path}.2`, '');
    writeFileSync(`${path}.1`, 'a\nb\n');
    writeFileSync(path, 'c\nd\n');
    expect(await readLastLines(path, 3)).toEqual(['b', 'c', 'd']);
    expect(await readLastLines(path, 5)).toEqual(['z', 'a', 'b', 'c', 'd']);
    expect(await readLastLines(path, 10)).toEqual(['y', 'z', 'a', 'b', 'c', 'd']);
    expect(await readLastLines(path, 0)).toEqual([]);
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

  it('ChildLog rotates past its cap, keeping N files, and keeps the last lines', async () => {
    const path = join(home.dir, 'c.log');
    const log = new ChildLog(path, { maxBytes: 10, files: 2 });
    const stream = new PassThrough();
    log.attach(stream, 'out');
    for (const line of ['one', 'two', 'three']) stream.write(`${line}\n`);
    stream.write('tail');
    await waitFor(() => log.tail().length === 4, 'four writes');
    expect(log.tail()).toEqual(['one', 'two', 'three', 'tail']);
    log.close();
    // Each record is past the 10-byte cap: every write rotated; two rotated files are kept, the oldest dropped.
    const text = (file: string) => decodeRecords(readFileSync(file, 'utf8')).map((e) => e.text);
    expect([text(`${path}.2`), text(`${path}.1`), text(path)]).toEqual([['two'], ['three'], ['tail']]);
    expect(existsSync(`${path}.3`)).toBe(false);
    expect(await readLastLines(path, 10)).toEqual(['two', 'three', 'tail']);
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
