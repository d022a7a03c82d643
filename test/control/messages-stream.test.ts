import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { statePaths } from '../../src/contract/paths.js';
import { SessionClient } from '../../src/control/client.js';
import { MAX_UNREAD_MESSAGE_BYTES } from '../../src/control/messages-stream.js';
import { Harness } from '../cli/harness.js';
import { waitFor } from '../helpers/proc.js';

const AGENT = join(import.meta.dirname, '..', 'fixtures', 'agent.mjs');

let h: Harness;
let client: SessionClient;
beforeEach(() => {
  h = new Harness();
  client = new SessionClient({ home: h.home, autoStart: true });
});
afterEach(async () => {
  client.close();
  await h.teardown();
});

it('a messages follower that does not read is cut off (slow_reader), and everyone else is served', { timeout: 60_000 }, async () => {
  h.noteSession(await client.create({ id: 'loud', children: [{ name: 'agent', file: AGENT }] }));
  h.noteDaemon();
  const socket = connect(statePaths(h.home).socket);
  socket.on('error', () => undefined);
  socket.pause();
  socket.write(`${JSON.stringify({ id: 1, method: 'messages', params: { follow: true } })}\n`);
  // Each message is ~900 KB: a few of them unread pass the cut-off.
  const big = 'x'.repeat(900 * 1024);
  const count = Math.ceil(MAX_UNREAD_MESSAGE_BYTES / big.length) + 3;
  for (let i = 0; i < count; i++) await client.send('loud', { op: 'publish', topic: 'big', data: big });
  expect(await client.send('loud', { op: 'echo', value: 'served' })).toEqual({ echo: 'served', child: 'agent' });

  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  socket.resume();
  const cutOff = await waitFor(() => text.split('\n').slice(0, -1).map((line) => JSON.parse(line)).find((reply) => 'error' in reply), 'the error reply');
  socket.destroy();
  expect(cutOff).toMatchObject({ id: 1, error: { code: 'slow_reader', message: expect.stringMatching(/fell more than \d+ bytes behind/) } });
  expect(text.split('\n').filter((line) => line.includes('"more":true')).length).toBeLessThan(count);
  expect((await client.status()).running).toBe(true);
});
