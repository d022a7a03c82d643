import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { pairsDir, socketPair } from '../../src/exec/socket-pair.js';
import { tempHome } from '../helpers/proc.js';

let home: ReturnType<typeof tempHome>;
afterEach(() => home?.cleanup());

it('pairsDir makes a folder only its user may enter, and refuses one that others may', () => {
  home = tempHome();
  const dir = pairsDir(home.dir);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(pairsDir(home.dir)).toBe(dir);
  chmodSync(dir, 0o755);
  expect(() => pairsDir(home.dir)).toThrow('no one else may enter');
});

it('socketPair connects two sockets and leaves no socket file', async () => {
  home = tempHome();
  const [ours, theirs] = await socketPair(pairsDir(home.dir));
  expect(readdirSync(join(home.dir, 'pairs'))).toEqual([]);
  const heard = new Promise<string>((resolve) => theirs.once('data', (chunk: Buffer) => resolve(chunk.toString())));
  ours.write('ping');
  expect(await heard).toBe('ping');
  ours.destroy();
  theirs.destroy();
});

it('a home too long for a socket path is said plainly', async () => {
  home = tempHome();
  const long = join(home.dir, 'x'.repeat(100));
  mkdirSync(long);
  await expect(socketPair(pairsDir(long))).rejects.toThrow('too long for a Unix socket path');
});
