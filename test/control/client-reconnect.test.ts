import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionClient } from '../../src/control/client.js';
import { Harness } from '../cli/harness.js';
import { expectAllGone } from '../helpers/proc.js';

let h: Harness;
let client: SessionClient;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  client.close();
  await h.teardown();
});

const sessions = (list: { id: string }[]) => list.map((s) => s.id);

// A request written at the moment the daemon's end reaches the client (before its event loop has
// seen the connection close) fails with daemon_unavailable, as any request in flight then: one
// such failure is allowed, and the next request must be served.
async function servedWithin<T>(tries: number, request: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await request();
    } catch (error) {
      expect(error).toMatchObject({ code: 'daemon_unavailable' });
      if (i === tries) throw error;
    }
  }
}

// An app embeds one SessionClient for its life; the daemon under it may be restarted (an upgrade)
// or die (and be started again by systemd or the next command). The client must not be left
// holding the closed connection, failing every request with "closed the connection".
describe('a SessionClient outlives its daemon', { timeout: 60_000 }, () => {
  // Once SIGKILL is sent, the daemon reads nothing more: a request sent after it was never read,
  // however far its death has got (a killed Node's last threads hold its socket a few ms), and is
  // sent again on a new connection (Connection.broken) or finds nothing listening and starts one.
  it('after the daemon was SIGKILLed, the next request starts a new daemon (autoStart) and is served', async () => {
    client = new SessionClient({ home: h.home, autoStart: true });
    const { id } = await client.create({ id: 'kept' });
    h.noteDaemon();
    const first = h.daemonPid()!;
    process.kill(first, 'SIGKILL');
    expect(sessions(await client.listSessions())).toEqual([id]); // brought back by the new daemon
    await expectAllGone([first], 5000);
    expect(h.daemonPid()).not.toBe(first);
    h.noteDaemon();
  });

  it('after `daemon restart` by another client, the next request is served by the new daemon (no autoStart)', async () => {
    client = new SessionClient({ home: h.home });
    await h.create(['--id', 'kept']);
    expect((await client.status()).running).toBe(true);
    const first = h.daemonPid()!;
    await client.listSessions(); // the client's one connection is open
    h.noteDaemon();
    const restarted = await h.cli(['daemon', 'restart']);
    expect(restarted.exitCode).toBe(0);
    expect(sessions(await servedWithin(2, () => client.listSessions()))).toEqual(['kept']);
    expect(h.daemonPid()).not.toBe(first);
    h.noteDaemon();
  });
});
