import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSIONCTL } from '../cli/harness.js';
import type { SessionInfo } from '../../src/contract/session.js';
import { Cluster, waitFor } from './harness.js';

// NATS going away under an exec that streams from another node: the caller is told the node or
// the cluster cannot be reached (not that a daemon went away), and the command goes with it.
describe('an exec across the cluster when NATS is lost', () => {
  let cluster: Cluster;
  let session: SessionInfo;
  beforeAll(async () => {
    cluster = await Cluster.start(['alpha', 'beta']);
    session = await cluster.create(['--node', 'beta']);
  }, 90_000);
  afterAll(() => cluster?.teardown(), 60_000);

  it('ends the caller within seconds with exit 1 saying so, and leaves no process on the node', async () => {
    const caller = spawn(process.execPath, [SESSIONCTL, '--cluster', cluster.nats.url, 'exec', session.id, '--', 'sh', '-c', 'echo pid $$; while :; do echo tick; sleep 0.2; done'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SESSIOND_HOME: cluster.client.home } });
    let stdout = '';
    let stderr = '';
    caller.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    caller.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => caller.once('exit', resolve));
    try {
      const pid = Number(await waitFor(() => /pid (\d+)\n(?:.*\n)*tick/.exec(stdout)?.[1], 'the remote command to stream'));
      expect(existsSync(`/proc/${pid}`)).toBe(true);
      await cluster.nats.kill();
      const lostAt = Date.now();
      const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(resolve, 15_000, 'hung'))]);
      expect({ code, stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/node beta is unreachable|cluster cannot be reached/) as unknown });
      expect(stderr).not.toMatch(/connection to the session closed/);
      expect(Date.now() - lostAt).toBeLessThan(15_000);
      // The node's side goes too: its stream to the caller went silent, so the exec is stopped as a vanished local caller's.
      await waitFor(() => !existsSync(`/proc/${pid}`), `the remote command (pid ${pid}) to be stopped`, 15_000, 100);
    } finally {
      caller.kill('SIGKILL');
      await cluster.nats.run();
    }
  }, 90_000);
});
