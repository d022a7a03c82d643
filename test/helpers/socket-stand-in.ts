import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statePaths } from '../../src/contract/paths.js';

/**
 * A server on a fresh state dir's control socket that answers as some daemon did (one exiting,
 * one of an older version): for a client's handling of answers a live daemon of this tree never
 * gives. `close()` stops it and removes the dir.
 */
export async function socketStandIn(prefix: string, onConnection: (socket: Socket) => void): Promise<{ home: string; path: string; close(): Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const path = statePaths(home).socket;
  const server: Server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    home,
    path,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(home, { recursive: true, force: true });
    },
  };
}
