import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { SessiondError } from '../contract/errors.js';
import { MAX_SOCKET_PATH } from '../contract/paths.js';

/**
 * The folder of `home` where socket pairs are made, that only this user may enter: made once, and
 * checked when it was there already (a folder others could enter would let them in on an exec).
 */
export function pairsDir(home: string): string {
  const dir = join(home, 'pairs');
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== process.geteuid?.() || (stat.mode & 0o077) !== 0) {
    throw new SessiondError('internal', `${dir} must be a folder of this user's that no one else may enter (mode 0700): remove it, and sessiond makes it again`);
  }
  return dir;
}

/**
 * Two connected Unix sockets in this process, one to keep and one to hand to a supervisor over IPC
 * (Node has no socketpair(), and IPC sends only a socket's handle). A server in `dir` (pairsDir)
 * takes one connection and closes, which removes its socket file: nothing is left listening, nor on
 * disk. A folder made once, not one per pair: mkdtemp and its removal cost more than the rest.
 */
export async function socketPair(dir: string): Promise<[ours: Socket, theirs: Socket]> {
  const path = join(dir, randomBytes(6).toString('hex'));
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw new SessiondError('invalid_params', `${dir} is too long for a Unix socket path (${MAX_SOCKET_PATH} bytes at most for ${path}); use a shorter home`);
  }
  const server = createServer();
  try {
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    const ours = connect(path);
    await new Promise<void>((resolve, reject) => {
      ours.once('connect', resolve);
      ours.once('error', reject);
    });
    ours.removeAllListeners('error');
    return [ours, await accepted];
  } finally {
    server.close();
  }
}
