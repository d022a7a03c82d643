import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probe } from '../../src/control/autostart.js';
import { statePaths } from '../../src/contract/paths.js';

let server: Server | null = null;
let home = '';
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
  rmSync(home, { recursive: true, force: true });
});

/** A socket that answers every connection with the farewell a daemon sends as it exits. */
async function exitingDaemon(code: string): Promise<string> {
  home = mkdtempSync(join(tmpdir(), 'sessiond-probe-'));
  const paths = statePaths(home);
  server = createServer((socket) => {
    socket.once('data', () => socket.end(`${JSON.stringify({ id: null, error: { code, message: 'sessiond was stopped: its sessions are terminated' } })}\n`));
  });
  await new Promise<void>((resolve) => server!.listen(paths.socket, resolve));
  return home;
}

describe('probe', () => {
  it('takes a daemon that answers with its farewell for one that is not running (stopped or restarting)', async () => {
    for (const code of ['daemon_stopped', 'daemon_unavailable']) {
      const at = await exitingDaemon(code);
      expect(await probe(statePaths(at))).toBeNull();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = null;
    }
  });

  it('still reports any other error', async () => {
    const at = await exitingDaemon('internal');
    await expect(probe(statePaths(at))).rejects.toMatchObject({ code: 'internal' });
  });
});
