import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSIONCTL } from '../cli/harness.js';
import type { SessionInfo } from '../../src/contract/session.js';
import { expectAllGone } from '../helpers/proc.js';
import { Cluster, waitFor } from './harness.js';

const pidsOf = (s: SessionInfo) => [s.supervisorPid!, ...s.children.map((c) => c.pid!)];

describe('a cluster when a node or NATS fails', () => {
  let cluster: Cluster | null = null;
  afterEach(async () => {
    await cluster?.teardown();
    cluster = null;
  }, 90_000);

  it('tells a SIGKILLed node unreachable within 25 s, keeps its sessions as last known, places elsewhere, and has them back when it returns', async () => {
    cluster = await Cluster.start();
    const gamma = cluster.node('gamma');
    const session = await cluster.create(['--node', 'gamma']);
    const killedAt = Date.now();
    await gamma.kill();
    // No orphans: the node's session processes go with its daemon, as on one host.
    await expectAllGone(pidsOf(session), 3000);
    // Before the cluster counts it unreachable, a create offered to it is passed over.
    const early = await cluster.create();
    expect(early.node).not.toBe('gamma');

    const nodes = await waitFor(async () => {
      const all = await cluster!.nodeInfos();
      return all.find((n) => n.name === 'gamma')?.state === 'unreachable' ? all : null;
    }, 'gamma to be unreachable', 25_000, 500);
    expect(Date.now() - killedAt).toBeLessThan(25_000);
    expect(nodes.filter((n) => n.state === 'up').map((n) => n.name)).toEqual(['alpha', 'beta']);

    const listed = await cluster.json<SessionInfo[]>(['list']);
    expect(listed.find((s) => s.id === session.id)).toMatchObject({ node: 'gamma', reachable: false, status: 'active' });
    expect(await cluster.json<SessionInfo>(['info', session.id])).toMatchObject({ node: 'gamma', reachable: false });
    const shown = await cluster.cli(['info', session.id]);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toMatch(/status:\s+active \(last known: its node is unreachable\)\nnode:\s+gamma/);
    const refused = await cluster.cli(['terminate', session.id]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/node gamma is unreachable/);
    for (let i = 0; i < 3; i++) expect((await cluster.create()).node).not.toBe('gamma');

    // The daemon comes back on its state dir: its session is resurrected and reachable again.
    await gamma.start();
    const back = await waitFor(async () => {
      const info = await cluster!.json<SessionInfo>(['info', session.id]);
      return info.reachable && info.status === 'active' ? info : null;
    }, 'the session to be back on gamma', 30_000, 250);
    expect(back.node).toBe('gamma');
    gamma.local.noteSession(back);
    expect((await cluster.nodeInfos()).find((n) => n.name === 'gamma')?.state).toBe('up');
  }, 150_000);

  it('keeps every node working when nats-server dies, fails cluster commands at once, and rejoins by itself', async () => {
    cluster = await Cluster.start(['alpha', 'beta']);
    const alpha = cluster.node('alpha');
    const before = await cluster.create(['--node', 'alpha']);
    await cluster.nats.kill();

    const started = Date.now();
    const failed = await cluster.cli(['list']);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/cluster cannot be reached/);
    expect(Date.now() - started).toBeLessThan(5000 + 3000); // sessionctl's own start-up on a loaded machine, and no wait on NATS
    // Locally, nothing changed: the session runs and a new one starts.
    expect((await alpha.local.json<SessionInfo>(['info', before.id])).status).toBe('active');
    const during = await alpha.local.create(['--id', 'made-while-away']);
    expect(during.node).toBe('alpha');

    await cluster.nats.run();
    await waitFor(async () => {
      const nodes = await cluster!.cli(['nodes', '--json']);
      return nodes.exitCode === 0 && (JSON.parse(nodes.stdout) as { state: string }[]).every((n) => n.state === 'up');
    }, 'both daemons back in the cluster', 30_000, 500);
    // The session made while NATS was away was claimed when alpha rejoined.
    const found = await waitFor(async () => {
      const info = await cluster!.cli(['info', 'made-while-away', '--json']);
      return info.exitCode === 0 ? (JSON.parse(info.stdout) as SessionInfo) : null;
    }, 'the session made while away to be found through the cluster', 15_000, 250);
    expect(found.node).toBe('alpha');
    expect((await cluster.json<SessionInfo>(['info', before.id])).reachable).toBe(true);
  }, 150_000);

  // The caller is told the node or the cluster cannot be reached (not that a daemon went away), and the command goes with it.
  it('ends an exec streaming from another node within seconds when nats-server dies, exit 1 saying so, and stops the command there', async () => {
    cluster = await Cluster.start(['alpha', 'beta']);
    const session = await cluster.create(['--node', 'beta']);
    const caller = spawn(process.execPath, [SESSIONCTL, '--cluster', cluster.nats.url, 'exec', session.id, '--', 'sh', '-c', 'echo pid $$; while :; do echo tick; sleep 0.2; done'], { env: { ...process.env, SESSIOND_HOME: cluster.client.home } });
    let stdout = '';
    let stderr = '';
    caller.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    caller.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => caller.once('exit', resolve));
    try {
      const pid = Number(await waitFor(() => /pid (\d+)\n(?:.*\n)*tick/.exec(stdout)?.[1], 'the remote command to stream'));
      expect(existsSync(`/proc/${pid}`)).toBe(true);
      await cluster.nats.kill();
      const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(resolve, 15_000, 'hung'))]);
      expect({ code, stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/node beta is unreachable|cluster cannot be reached/) as unknown });
      // The node's side of the stream went silent too: the exec is stopped as a vanished local caller's.
      await waitFor(() => !existsSync(`/proc/${pid}`), `the remote command (pid ${pid}) to be stopped`, 15_000, 100);
    } finally {
      caller.kill('SIGKILL');
    }
  }, 90_000);

  it('terminates the copy of a session whose id the catalog gave to another node while this one was away', async () => {
    cluster = await Cluster.start(['alpha', 'beta']);
    await cluster.nats.kill();
    // Cut off from each other, both nodes take the same id.
    const [a, b] = await Promise.all(['alpha', 'beta'].map((n) => cluster!.node(n).local.create(['--id', 'twice'])));
    expect([a!.status, b!.status]).toEqual(['active', 'active']);
    await cluster.nats.run();
    // Each rejoins and claims its sessions: one wins the id, the other's copy is terminated.
    const statuses = await waitFor(async () => {
      const both = await Promise.all(['alpha', 'beta'].map((n) => cluster!.node(n).local.json<SessionInfo>(['info', 'twice'])));
      return both.filter((s) => s.status === 'terminated').length === 1 ? both : null;
    }, 'one copy of "twice" to be terminated', 40_000, 250);
    const winner = statuses.find((s) => s.status !== 'terminated')!;
    expect((await cluster.json<SessionInfo>(['info', 'twice'])).node).toBe(winner.node);
    const loser = statuses.find((s) => s.status === 'terminated')!;
    await expectAllGone(pidsOf(loser === statuses[0] ? a! : b!), 8000);
  }, 150_000);
});
