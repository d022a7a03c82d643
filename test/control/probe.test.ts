import { afterEach, describe, expect, it } from 'vitest';
import { probe } from '../../src/control/autostart.js';
import { statePaths } from '../../src/contract/paths.js';
import { socketStandIn } from '../helpers/socket-stand-in.js';

let standIn: Awaited<ReturnType<typeof socketStandIn>> | null = null;
afterEach(async () => {
  await standIn?.close();
  standIn = null;
});

/** A socket that answers every connection with the farewell a daemon sends as it exits. */
async function exitingDaemon(code: string): Promise<string> {
  standIn = await socketStandIn('sessiond-probe-', (socket) => {
    socket.once('data', () => socket.end(`${JSON.stringify({ id: null, error: { code, message: 'sessiond was stopped: its sessions are terminated' } })}\n`));
  });
  return standIn.home;
}

describe('probe', () => {
  it('takes a daemon that answers with its farewell for one that is not running (stopped or restarting)', async () => {
    for (const code of ['daemon_stopped', 'daemon_unavailable']) {
      const at = await exitingDaemon(code);
      expect(await probe(statePaths(at))).toBeNull();
      await standIn?.close();
      standIn = null;
    }
  });

  it('still reports any other error', async () => {
    const at = await exitingDaemon('internal');
    await expect(probe(statePaths(at))).rejects.toMatchObject({ code: 'internal' });
  });
});
