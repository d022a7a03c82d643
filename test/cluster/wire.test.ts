import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectCluster, type NatsModule } from '../../src/cluster/nats.js';
import { LineJoiner, publishLine } from '../../src/cluster/wire.js';
import { NatsServer } from './nats-server.js';

let server: NatsServer;
let nats: NatsModule;
let nc: NatsConnection;
beforeAll(async () => {
  server = await NatsServer.start();
  ({ nats, nc } = await connectCluster({ url: server.url }, 'wire-test'));
}, 30_000);
afterAll(async () => {
  await nc?.close();
  await server?.close();
});

it('a reply line past the server’s max_payload (a list of thousands of sessions) arrives whole, in parts', async () => {
  const line = JSON.stringify({ id: 1, result: Array.from({ length: 80_000 }, (_, i) => ({ id: `session_${i}`, status: 'active' })) });
  expect(Buffer.byteLength(line)).toBeGreaterThan(2 * (nc.info?.max_payload ?? 0));
  const joiner = new LineJoiner();
  let parts = 0;
  const whole = new Promise<string>((resolve) => {
    nc.subscribe('wire.test', {
      callback: (_error, msg) => {
        parts += 1;
        const joined = joiner.push(msg);
        if (joined !== null) resolve(joined);
      },
    });
  });
  await nc.flush();
  publishLine(nats, nc, 'wire.test', line);
  expect(await whole).toBe(line);
  expect(parts).toBeGreaterThan(2);
});
