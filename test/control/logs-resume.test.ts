import { appendFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canResume, followLog, readTail, type LogPosition } from '../../src/logs/log-files.js';
import { tempHome, waitFor } from '../helpers/proc.js';

let home: ReturnType<typeof tempHome>;
beforeEach(() => {
  home = tempHome();
});
afterEach(() => home.cleanup());

/** Follows `path` from `from`, collecting the text and the last position. */
function follower(path: string, from?: LogPosition) {
  let text = '';
  let position: LogPosition | null = null;
  const stop = new AbortController();
  const done = followLog(path, (t, p) => ((text += t), (position = p)), stop.signal, from);
  return { text: () => text, position: () => position, stop: () => (stop.abort(), done) };
}

describe('resuming a followed log', () => {
  it('readTail gives the position just past the lines; a follower from there misses nothing written since', async () => {
    const path = join(home.dir, 'a.log');
    writeFileSync(path, 'one\ntwo\n');
    const { lines, position } = await readTail(path, 1);
    expect(lines).toEqual(['two']);
    expect(position.offset).toBe(8);
    appendFileSync(path, 'three\n'); // while the follower was away
    const f = follower(path, position);
    await waitFor(() => f.text() === 'three\n', 'the text written meanwhile');
    appendFileSync(path, 'four\n');
    await waitFor(() => f.text() === 'three\nfour\n', 'a live append');
    expect(f.position()).toEqual({ fileId: position.fileId, offset: 19 });
    await f.stop();
  });

  it('goes on across a rotation: the rest of the rotated file, then the new one from its start', async () => {
    const path = join(home.dir, 'r.log');
    writeFileSync(path, 'old\n');
    const { position } = await readTail(path, 10);
    appendFileSync(path, 'before rotation\n');
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'after rotation\n');
    expect(canResume(path, position)).toBe(true);
    const f = follower(path, position);
    await waitFor(() => f.text() === 'before rotation\nafter rotation\n', 'both files, in order');
    await f.stop();
  });

  it('tells a position it cannot resume from: the file replaced, or cut shorter', async () => {
    const path = join(home.dir, 'g.log');
    writeFileSync(path, 'first run\n');
    const { position } = await readTail(path, 10);
    expect(canResume(path, position)).toBe(true);
    writeFileSync(path, 'x\n'); // truncated in place
    expect(canResume(path, position)).toBe(false);
    rmSync(path);
    writeFileSync(path, 'a new file, longer than the old one\n');
    expect(canResume(path, position)).toBe(false);
    expect(canResume(path, { fileId: null, offset: 0 })).toBe(true);
  });
});
