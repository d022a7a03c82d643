import { connect, type NatsConnection } from '@nats-io/transport-node';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSIONCTL } from '../cli/harness.js';
import type { SessionInfo } from '../../src/contract/session.js';
import { queueGroup, rpcSubject } from '../../src/cluster/subjects.js';
import { Cluster } from './harness.js';

// A cluster client waits on NATS with a bound everywhere: a request its node never gets ends in
// seconds, saying so, where it once waited for ever (the node answering its pings all the while).
describe('a cluster client never waits for ever', () => {
  let cluster: Cluster;
  let session: SessionInfo;
  let thief: NatsConnection;
  beforeAll(async () => {
    cluster = await Cluster.start(['alpha']);
    session = await cluster.create(['--node', 'alpha']);
    thief = await connect({ servers: cluster.nats.url.replace('nats://', '') });
  }, 90_000);
  afterAll(async () => {
    await thief?.close();
    await cluster?.teardown();
  }, 60_000);

  it('fails a request lost on its way to its node within seconds, saying the cluster lost it', async () => {
    // A second member of the node's queue group that drops what it gets: NATS gives it about half of the node's requests.
    let stolen = 0;
    thief.subscribe(rpcSubject('alpha'), { queue: queueGroup('alpha'), callback: () => void stolen++ });
    await thief.flush();
    for (let attempt = 0; attempt < 12 && stolen === 0; attempt++) {
      const before = stolen;
      const info = await execa(process.execPath, [SESSIONCTL, '--cluster', cluster.nats.url, 'info', session.id], { reject: false, timeout: 30_000, env: { SESSIOND_HOME: cluster.client.home } });
      expect(info.timedOut).toBe(false);
      if (stolen === before) {
        expect(info.exitCode).toBe(0);
        continue;
      }
      expect(info.exitCode).toBe(1);
      expect(info.stderr).toMatch(/node alpha does not hold the request: the cluster lost it on its way/);
    }
    expect(stolen).toBe(1);
  }, 120_000);
});
