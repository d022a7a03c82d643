import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDaemon } from '../../src/control/autostart.js';
import { SessionClient } from '../../src/control/client.js';
import { statePaths } from '../../src/contract/paths.js';
import { MAX_IN_FLIGHT } from '../../src/control/served-connection.js';
import { Harness } from '../cli/harness.js';
import { waitFor } from '../helpers/proc.js';

const MiB = 1024 * 1024;
const REQUESTS = 3000;

let h: Harness;
let client: SessionClient;
let daemon: number;
beforeEach(async () => {
  h = new Harness();
  daemon = (await ensureDaemon(statePaths(h.home))).status.pid!;
  client = new SessionClient({ home: h.home });
});
afterEach(async () => {
  client.close();
  await h.teardown();
});

function rss(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

/** Connects and writes REQUESTS `events` requests at once; reads nothing until told. */
function abuser(): Socket {
  const socket = connect(statePaths(h.home).socket);
  socket.on('error', () => undefined);
  socket.pause();
  const lines = Array.from({ length: REQUESTS }, (_, n) => `${JSON.stringify({ id: n + 1, method: 'events', params: {} })}\n`);
  socket.write(lines.join(''));
  return socket;
}

describe('backpressure per connection', { timeout: 90_000 }, () => {
  it('a client that writes 3000 requests and never reads is slowed, not buffered: RSS stays bounded, others are served', async () => {
    // ~120 events, so each reply is ~18 KB and 3000 of them would be ~55 MB of JSON.
    for (let round = 0; round < 5; round++) {
      const ids = await Promise.all(Array.from({ length: 4 }, () => client.createSession()));
      await Promise.all(ids.map((id) => client.terminateSession(id)));
    }
    // `events` comes as one partial per event (then an empty final result): ~18 KB in all.
    let bytes = 0;
    await client.events({}, (event) => (bytes += JSON.stringify(event).length));
    expect(bytes).toBeGreaterThan(10_000);
    const idle = rss(daemon);

    const greedy = abuser();
    let peak = idle;
    // A fixed window: it proves the daemon does NOT grow while the client does not read.
    for (const until = Date.now() + 3000; Date.now() < until; await sleep(100)) {
      peak = Math.max(peak, rss(daemon));
      expect((await client.status()).running).toBe(true);
    }
    expect((await client.listSessions({ all: true })).length).toBe(20);
    greedy.destroy();
    expect(peak).toBeLessThanOrEqual(150 * MiB);
    // Idle again without it: within 20 MiB of where the daemon was (no forced GC: as in production).
    await waitFor(() => rss(daemon) <= idle + 20 * MiB, `daemon RSS (${(rss(daemon) / MiB).toFixed(0)} MiB) back within 20 MiB of ${(idle / MiB).toFixed(0)} MiB`, 20_000, 200);
  });

  it('a slowed client that reads at last gets every reply, one per request', async () => {
    await client.createSession();
    const greedy = abuser();
    await sleep(500); // let the daemon fill what the client does not read
    let buffered = '';
    const ids: number[] = [];
    greedy.on('data', (chunk: Buffer) => {
      const lines = (buffered + chunk.toString()).split('\n');
      buffered = lines.pop()!;
      // Each request's events come as partials (`more`), then its final reply.
      for (const line of lines) if (!(JSON.parse(line) as { more?: boolean }).more) ids.push((JSON.parse(line) as { id: number }).id);
    });
    greedy.resume();
    await waitFor(() => ids.length === REQUESTS, `${REQUESTS} replies (have ${ids.length})`, 30_000);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: REQUESTS }, (_, n) => n + 1));
    greedy.destroy();
    for (const s of await client.listSessions()) h.noteSession(s);
  });

  it('handles at most MAX_IN_FLIGHT requests of one connection at once: the next wait unread', async () => {
    h.noteSession(await client.create());
    const socket = connect(statePaths(h.home).socket);
    let buffered = '';
    socket.on('data', (chunk: Buffer) => (buffered += chunk.toString()));
    socket.on('error', () => undefined);
    const follows = Array.from({ length: MAX_IN_FLIGHT + 8 }, (_, n) => `${JSON.stringify({ id: n + 1, method: 'events', params: { follow: true } })}\n`);
    socket.write(`${follows.join('')}${JSON.stringify({ id: 'status', method: 'status', params: {} })}\n`);
    const streaming = () => new Set(buffered.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: unknown }).id));
    await waitFor(() => streaming().size === MAX_IN_FLIGHT, `${MAX_IN_FLIGHT} streams to send their backlog`);
    await sleep(500); // a fixed wait: proves the rest are NOT read while those streams go on
    expect(streaming().size).toBe(MAX_IN_FLIGHT);
    expect(streaming().has('status')).toBe(false);
    socket.destroy();
    expect((await client.status()).running).toBe(true);
  });
});
