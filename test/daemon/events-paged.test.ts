// `events` without --follow on a long journal: the daemon sends it page by page as the reader
// takes it, so a slow reader of 100,000 events does not cost the daemon the journal (~20 MB
// of JSON, ~140 MiB of RSS when it was one reply).
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ensureDaemon } from '../../src/control/autostart.js';
import { statePaths } from '../../src/contract/paths.js';
import { ensureStateDir } from '../../src/daemon/state-dir.js';
import { Store } from '../../src/store/index.js';
import { Harness } from '../cli/harness.js';
import { waitFor } from '../helpers/proc.js';

const MiB = 1024 * 1024;
const EVENTS = 100_000;

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

function rss(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

it('a slow reader of a 100,000-event journal holds one page in the daemon, not the journal, and gets every event', { timeout: 120_000 }, async () => {
  const paths = statePaths(h.home);
  ensureStateDir(paths.home, paths.logDir);
  const store = Store.open(paths.store);
  const at = new Date().toISOString();
  // ~200 bytes of JSON each: the whole journal is ~20 MB as one reply.
  store.transaction(() => {
    for (let n = 0; n < EVENTS; n++) store.events.append({ at, session: `old-${n % 100}`, type: 'child.exited', child: 'worker', code: 1, signal: null, lines: ['x'.repeat(80)] } as never);
  });
  store.close();
  const daemon = (await ensureDaemon(paths)).status.pid!;
  h.noteDaemon();
  await sleep(1000);
  const idle = rss(daemon);

  const socket = connect(paths.socket);
  let buffered = '';
  let seen = 0;
  let done = false;
  socket.on('data', (chunk: Buffer) => {
    const lines = (buffered + chunk.toString()).split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const reply = JSON.parse(line) as { more?: boolean };
      if (reply.more) seen += 1;
      else done = true;
    }
  });
  socket.write(`${JSON.stringify({ id: 1, method: 'events', params: {} })}\n`);
  // The reader takes a little, then nothing for a while, a few times over.
  let peak = idle;
  for (let round = 0; round < 10 && !done; round++) {
    socket.resume();
    await sleep(50);
    socket.pause();
    for (const until = Date.now() + 300; Date.now() < until; await sleep(50)) peak = Math.max(peak, rss(daemon));
  }
  expect(seen).toBeLessThan(EVENTS); // still reading: the rest waits in the store
  // What the stream holds is one page of 500 events (test/control/events-stream.test.ts counts
  // it); RSS also keeps the garbage of the pages sent, in V8's young generation, until a GC
  // that this test does not force: ~13 MiB here, against ~140 MiB when the reply was one array.
  expect(peak - idle, `daemon RSS ${(idle / MiB).toFixed(1)} → ${(peak / MiB).toFixed(1)} MiB`).toBeLessThan(32 * MiB);
  socket.resume();
  await waitFor(() => done, 'the last event and the final reply', 60_000);
  expect(seen).toBe(EVENTS);
  socket.destroy();
});
