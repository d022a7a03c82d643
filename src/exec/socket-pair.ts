import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { SessiondError } from '../contract/errors.js';
import { MAX_SOCKET_PATH } from '../contract/paths.js';

/**
 * Two connected Unix sockets in this process, one to keep and one to hand to a supervisor over IPC
 * (Node has no socketpair(), and IPC sends only a socket's handle). A server takes one connection
 * in a folder of `dir` that only this user may enter, then closes (which removes its socket file),
 * and the folder goes: nothing is left listening, nor on disk.
 */
export async function socketPair(dir: string): Promise<[ours: Socket, theirs: Socket]> {
  const folder = mkdtempSync(join(dir, 'pair-'));
  const path = join(folder, 's');
  const server = createServer();
  try {
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
      throw new SessiondError('invalid_params', `state dir ${dir} is too long for a Unix socket path (${MAX_SOCKET_PATH} bytes at most for ${path}); use a shorter home`);
    }
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
    rmSync(folder, { recursive: true, force: true });
  }
}
