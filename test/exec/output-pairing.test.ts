import type { Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { OutputPairing, type OutputConnection, type Refusal } from '../../src/exec/output-pairing.js';
import { pairsDir, socketPair } from '../../src/exec/socket-pair.js';
import { tempHome } from '../helpers/proc.js';

// The supervisor's pairing of an exec with its output connection, on real socket pairs, with a short wait.

let home: ReturnType<typeof tempHome> | undefined;
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  home?.cleanup();
  home = undefined;
});

async function connection(): Promise<{ client: Socket; served: Socket; got: Promise<string> }> {
  home ??= tempHome();
  const [client, served] = await socketPair(pairsDir(home.dir));
  sockets.push(client, served);
  let text = '';
  client.on('data', (chunk: Buffer) => (text += String(chunk)));
  const got = new Promise<string>((resolve) => client.once('close', () => resolve(text)));
  return { client, served, got };
}

const isRefusal = (r: OutputConnection | Refusal): r is Refusal => 'code' in r;

it('pairs an exec with its output connection in either order, each nonce once', async () => {
  const pairing = new OutputPairing(100);
  const [exec1, out1, exec2, out2] = await Promise.all([connection(), connection(), connection(), connection()]);
  const first = pairing.claim('n1', exec1.served);
  pairing.offer({ request: 7, nonce: 'n1' }, out1.served);
  expect(await first).toEqual({ socket: out1.served, request: 7 });
  pairing.offer({ request: 8, nonce: 'n2' }, out2.served);
  expect(await pairing.claim('n2', exec2.served)).toEqual({ socket: out2.served, request: 8 });
  // Claimed: the nonce waits no more, so a later exec with it is refused after the wait.
  const late = await connection();
  const again = await pairing.claim('n1', late.served);
  expect(isRefusal(again) && again.code).toBe('timeout');
});

it('refuses an exec whose output connection does not come, and closes one that no exec claims, with an error line', async () => {
  const pairing = new OutputPairing(100);
  const [exec, out] = await Promise.all([connection(), connection()]);
  const refused = await pairing.claim('lonely', exec.served);
  expect(refused).toMatchObject({ code: 'timeout', message: expect.stringContaining('nothing was run') });
  pairing.offer({ request: 3, nonce: 'alone' }, out.served);
  expect(JSON.parse(await out.got)).toMatchObject({ id: 3, error: { code: 'timeout' } });
});

it('refuses a second connection waiting with the same nonce (busy), and an exec whose caller went away', async () => {
  const pairing = new OutputPairing(5000);
  const [out1, out2, exec1, exec2, gone] = await Promise.all([connection(), connection(), connection(), connection(), connection()]);
  pairing.offer({ request: 1, nonce: 'twin' }, out1.served);
  pairing.offer({ request: 2, nonce: 'twin' }, out2.served);
  expect(JSON.parse(await out2.got)).toMatchObject({ id: 2, error: { code: 'busy' } });
  const waiting = pairing.claim('exec-twin', exec1.served);
  expect(await pairing.claim('exec-twin', exec2.served)).toMatchObject({ code: 'busy' });
  const leaving = pairing.claim('gone', gone.served);
  gone.client.destroy();
  expect(await leaving).toMatchObject({ code: 'not_running' });
  // The session stops: every one waiting is refused at once, and whatever comes next.
  pairing.close();
  expect(await waiting).toMatchObject({ code: 'not_running' });
  expect(JSON.parse(await out1.got)).toMatchObject({ id: 1, error: { code: 'not_running' } });
  const after = await connection();
  pairing.offer({ request: 9, nonce: 'later' }, after.served);
  expect(JSON.parse(await after.got)).toMatchObject({ id: 9, error: { code: 'not_running' } });
});
