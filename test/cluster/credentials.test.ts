import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { Harness } from '../cli/harness.js';
import { NodeDaemon, teardownAll } from './harness.js';
import { NatsServer } from './nats-server.js';

const SECRET = 'pa55-not-for-children';

describe('a cluster whose NATS asks for a user and password', () => {
  let nats: NatsServer;
  let node: NodeDaemon;
  const client = new Harness();
  let url: string;
  beforeAll(async () => {
    nats = await NatsServer.start(['--user', 'sessiond', '--pass', SECRET]);
    url = `nats://sessiond:${SECRET}@127.0.0.1:${nats.port}`;
    node = new NodeDaemon('keeper', url);
    // The daemon is also handed the address in its environment, as `sessionctl daemon start` under SESSIOND_CLUSTER would.
    await node.start({ ...process.env, SESSIOND_CLUSTER: url, SESSIOND_CLUSTER_CREDS: '/etc/some.creds' });
  }, 60_000);
  afterAll(() => teardownAll([node], client, nats), 60_000);

  it('joins with the credentials in the URL, and no session ever sees them', async () => {
    const created = await client.cli(['create', '--json'], { env: { SESSIOND_CLUSTER: url } });
    expect(created.exitCode).toBe(0);
    const session = JSON.parse(created.stdout) as SessionInfo;
    node.local.noteSession(session);
    expect(session.node).toBe('keeper');
    for (const pid of [session.supervisorPid!, session.children[0]!.pid!]) {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      expect(environ).not.toContain(SECRET);
      expect(environ).not.toContain('SESSIOND_CLUSTER');
    }
    // Nor the daemon's command line's secret shows in any message.
    const listed = await client.cli(['--cluster', `nats://sessiond:wrong@127.0.0.1:${nats.port}`, 'list']);
    expect(listed.exitCode).toBe(1);
    expect(listed.stderr).toMatch(/cluster cannot be reached at nats:\/\/127\.0\.0\.1:\d+ \(.*[Aa]uthorization/);
    expect(listed.stderr).not.toContain('wrong');
  }, 60_000);
});
