import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDaemon } from '../../src/control/autostart.js';
import { SessionClient } from '../../src/control/client.js';
import { statePaths } from '../../src/contract/paths.js';
import { Harness } from '../cli/harness.js';
import { waitFor } from '../helpers/proc.js';

// What the daemon may hold per live session (its IPC channel, a pipe or two), and the noise of one idle count to the next.
const HANDFUL = 5;
const MARGIN = 2;

let h: Harness;
let client: SessionClient;
let daemon: number;
beforeEach(async () => {
  h = new Harness();
  daemon = (await ensureDaemon(statePaths(h.home))).status.pid!;
  client = new SessionClient({ home: h.home });
  // One session come and gone first, so what the daemon opens once (the store's files, say) is open already.
  await client.terminateSession(await client.createSession());
});
afterEach(async () => {
  client.close();
  await h.teardown();
});

const openFds = () => readdirSync(`/proc/${daemon}/fd`).length;
const sleepers = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `sleeper${i}`, command: 'sleep', args: ['1000'] }));

describe('bounded descriptors', { timeout: 90_000 }, () => {
  it('a live 40-child session, sampled, costs the daemon a handful of fds; none are left 5 s after it ends', async () => {
    const before = openFds();
    const id = await client.createSession({ children: sleepers(40) });
    const [session] = await client.listSessions();
    h.noteSession(session!);
    expect(session!.stats.memory).toBeGreaterThan(0); // sampled: each of its 42 processes read
    expect(openFds()).toBeLessThanOrEqual(before + HANDFUL);
    await client.terminateSession(id);
    await waitFor(() => openFds() <= before + MARGIN, `the daemon's fds (${openFds()}) back to ${before}`, 5000, 100);
  });

  it('50 sessions come and go, sampled while they run: within 5 s the daemon holds what it held before', async () => {
    const before = openFds();
    for (let round = 0; round < 10; round++) {
      const ids = await Promise.all(Array.from({ length: 5 }, () => client.createSession({ children: sleepers(3) })));
      for (const session of await client.listSessions()) {
        h.noteSession(session);
        expect(session.stats.memory).toBeGreaterThan(0);
      }
      expect(openFds()).toBeLessThanOrEqual(before + 5 * HANDFUL);
      await Promise.all(ids.map((id) => client.terminateSession(id)));
    }
    await waitFor(() => openFds() <= before + MARGIN, `the daemon's fds (${openFds()}) back to ${before}`, 5000, 100);
  });
});
