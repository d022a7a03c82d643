import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSIONCTL } from '../cli/harness.js';
import { SessionClient } from '../../src/control/client.js';
import type { SessionInfo } from '../../src/contract/session.js';
import type { StoredEvent } from '../../src/contract/events.js';
import { Cluster, waitFor } from './harness.js';

const AGENT = join(import.meta.dirname, '..', 'fixtures', 'agent.mjs');

// One NATS server and three daemons as three nodes for the whole file: each test leaves them as it found them.
describe('a cluster of three nodes over a real nats-server', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await Cluster.start();
  }, 90_000);
  afterAll(async () => {
    await cluster?.teardown();
  }, 90_000);

  it('lists its nodes, each up with its sessions, room, memory and version', async () => {
    const nodes = await cluster.nodeInfos();
    expect(nodes.map((n) => [n.name, n.state])).toEqual([['alpha', 'up'], ['beta', 'up'], ['gamma', 'up']]);
    for (const node of nodes) {
      expect(node.freeMemory).toBeGreaterThan(0);
      expect(node.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(Date.now() - Date.parse(node.lastHeardAt)).toBeLessThan(15_000);
    }
  });

  it('spreads creates over the nodes with the most room, and lists them all with their node', async () => {
    const created: SessionInfo[] = [];
    for (let i = 0; i < 6; i++) created.push(await cluster.create());
    const perNode = new Map<string, number>();
    for (const s of created) perNode.set(s.node!, (perNode.get(s.node!) ?? 0) + 1);
    expect([...perNode.keys()].sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect([...perNode.values()]).toEqual([2, 2, 2]);

    const listed = await cluster.json<SessionInfo[]>(['list']);
    for (const s of created) expect(listed.find((l) => l.id === s.id)).toMatchObject({ node: s.node, reachable: true, status: 'active' });
    // The node's own socket says the same node.
    const local = await cluster.node(created[0]!.node!).local.json<SessionInfo>(['info', created[0]!.id]);
    expect(local.node).toBe(created[0]!.node);
    const table = (await cluster.cli(['list'])).stdout;
    expect(table.split('\n')[0]).toMatch(/^ID\s+NODE\s+STATUS/);
    await Promise.all(created.map((s) => cluster.cli(['terminate', s.id])));
  }, 120_000);

  it('keeps ids unique across the cluster, whichever way a create comes', async () => {
    const first = await cluster.create(['--id', 'unique.one']);
    const again = await cluster.cli(['create', '--id', 'unique.one']);
    expect(again.exitCode).toBe(1);
    // Placed on another node, the catalog refuses it; placed on its own node (announcements are 2 s apart), that node does.
    expect(again.stderr).toMatch(new RegExp(`in use on node ${first.node}|session unique\\.one already exists`));
    // Straight to another node's own socket: the catalog still refuses it.
    const other = cluster.nodes.find((n) => n.name !== first.node)!;
    const direct = await other.local.cli(['create', '--id', 'unique.one']);
    expect(direct.exitCode).toBe(1);
    expect(direct.stderr).toContain('in use on node');
    // Five creates of one new id at once: exactly one wins.
    const racing = await Promise.all([0, 1, 2, 3, 4].map(() => cluster.cli(['create', '--id', 'unique.two'])));
    expect(racing.filter((r) => r.exitCode === 0)).toHaveLength(1);
    expect(racing.filter((r) => r.exitCode !== 0).map((r) => [r.exitCode, /in use on node|being taken|already exists/.test(r.stderr) || r.stderr])).toEqual(Array(4).fill([1, true]));
    // A terminated session's id may be taken again, on any node.
    expect((await cluster.cli(['terminate', 'unique.one'])).exitCode).toBe(0);
    const reborn = await cluster.create(['--id', 'unique.one', '--node', other.name]);
    expect(reborn.node).toBe(other.name);
    await cluster.cli(['terminate', 'unique.one']);
    await cluster.cli(['terminate', 'unique.two']);
  }, 120_000);

  it('runs send, logs, info by prefix and events --session on the session’s node', async () => {
    const session = await cluster.create(['--child', `agent=${AGENT}`, '--command', 'talk=sh -c "echo hello from the node; sleep 600"', '--node', 'gamma']);
    expect(session.node).toBe('gamma');
    const reply = await cluster.cli(['send', session.id, '{"op":"echo","value":42}', '--child', 'agent']);
    expect(reply.exitCode).toBe(0);
    expect(JSON.parse(reply.stdout)).toEqual({ echo: 42, child: 'agent' });
    const logs = await waitFor(async () => {
      const out = await cluster.cli(['logs', session.id, '--child', 'talk']);
      return out.stdout.includes('hello from the node') ? out : null;
    }, 'the child output through the cluster');
    expect(logs.exitCode).toBe(0);
    const prefix = session.id.slice('session_'.length, 'session_'.length + 8);
    expect((await cluster.json<SessionInfo>(['info', prefix])).id).toBe(session.id);
    const events = (await cluster.cli(['events', '--session', session.id, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as StoredEvent);
    expect(events[0]).toMatchObject({ type: 'session.created', session: session.id, node: 'gamma' });
    const missing = await cluster.cli(['info', 'session_nothing-like-it']);
    expect(missing.exitCode).toBe(3);
    await cluster.cli(['terminate', session.id]);
  }, 120_000);

  it('merges every node’s events, each with its node', async () => {
    const sessions = await Promise.all(['alpha', 'beta'].map((node) => cluster.create(['--node', node])));
    const lines = (await cluster.cli(['events', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as StoredEvent & { node: string });
    for (const s of sessions) expect(lines.find((e) => e.session === s.id && e.type === 'session.created')?.node).toBe(s.node);
    const times = lines.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
    await Promise.all(sessions.map((s) => cluster.cli(['terminate', s.id])));
  }, 60_000);

  it('follows every node’s events merged, and a remote session’s log', async () => {
    const follow = (args: string[]) => {
      const child = execa(process.execPath, [SESSIONCTL, '--cluster', cluster.nats.url, ...args], { reject: false, stdin: 'ignore' });
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      return { child, out: () => out };
    };
    const events = follow(['events', '--follow', '--json']);
    try {
      const session = await cluster.create(['--node', 'beta', '--command', 'talk=sh -c "echo first; sleep 1; echo second; sleep 600"']);
      const created = await waitFor(() => events.out().split('\n').filter(Boolean).map((l) => JSON.parse(l) as StoredEvent & { node: string }).find((e) => e.session === session.id && e.type === 'session.active'), 'the remote event in the merged follow', 30_000);
      expect(created.node).toBe('beta');
      const logs = follow(['logs', session.id, '--follow']);
      await waitFor(() => logs.out().includes('second'), 'the followed log to go on through the cluster', 30_000);
      expect(logs.out()).toMatch(/first\nsecond/);
      logs.child.kill('SIGINT');
      await logs.child;
      expect((await cluster.cli(['terminate', session.id])).exitCode).toBe(0);
    } finally {
      events.child.kill('SIGINT');
      await events.child;
    }
  }, 120_000);

  it('serves the library too: SessionClient({ cluster })', async () => {
    const client = new SessionClient({ cluster: cluster.nats.url });
    try {
      expect((await client.nodes()).map((n) => n.name)).toEqual(['alpha', 'beta', 'gamma']);
      const session = await client.create({ metadata: { via: 'library' } });
      cluster.node(session.node!).local.noteSession(session);
      expect(session).toMatchObject({ status: 'active', reachable: true });
      expect((await client.listSessions()).find((s) => s.id === session.id)?.node).toBe(session.node);
      await client.terminateSession(session.id);
      expect((await client.getSessionInfo(session.id)).status).toBe('terminated');
      await expect(client.getSessionInfo('no-such-session')).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      client.close();
    }
  }, 60_000);

  it('refuses a second live daemon with a taken node name', async () => {
    const { NodeDaemon } = await import('./harness.js');
    const impostor = new NodeDaemon('beta', cluster.nats.url);
    try {
      await expect(impostor.start()).rejects.toThrow(/node name beta is taken/);
      expect(impostor.process!.exitCode).not.toBe(0);
    } finally {
      await impostor.teardown();
    }
  }, 60_000);

  it('never gives the cluster address or its credentials to a session', async () => {
    const secret = 'n0t-for-children';
    const session = await cluster.create(['--node', 'alpha']);
    const environ = readFileSync(`/proc/${session.children[0]!.pid}/environ`, 'utf8');
    expect(environ).not.toContain('SESSIOND_CLUSTER');
    expect(environ).not.toContain(String(cluster.nats.port));
    expect(environ).not.toContain(secret);
    await cluster.cli(['terminate', session.id]);
  }, 60_000);
});
