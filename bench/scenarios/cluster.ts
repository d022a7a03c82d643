// (10) cluster: three daemons as three nodes of one nats-server (issue 18). A create through the
// cluster (SessionClient({ cluster }): placement, the node's create, the catalog's record) beside
// a create on a node's own socket, alternating in one run; then `list` across 3 nodes × N
// sessions beside `list` on one node of N.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessionClient } from 'sessiond';
import { onCleanup } from '../cleanup.js';
import type { Figure, Plan } from '../figure.js';
import type { BenchContext, System } from '../system.js';
import { spawnNode, stopChild, waitForLine } from '../systems/child.js';
import { message, progress } from './trials.js';

const NODES = ['n1', 'n2', 'n3'];
const LIGHT = { children: [{ name: 'sleeper', command: 'sleep', args: ['3600'] }] };

export async function clusterScenario(systems: readonly System[], plan: Plan, ctx: BenchContext): Promise<Figure[]> {
  if (!systems.some((s) => s.name === 'sessiond')) return [];
  if (spawnSync('nats-server', ['--version']).status !== 0) {
    console.error('bench: cluster: nats-server is not installed (apt-get install nats-server): the cluster figures are left out');
    return [];
  }
  progress(`cluster: 3 nodes; create through the cluster beside a local one; list of 3 × ${plan.clusterSessionsPerNode}`);
  const dir = await mkdtemp(join(ctx.tmp, 'cluster-'));
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  const started: ChildProcess[] = [];
  const clients: SessionClient[] = [];
  const cleanup = async () => {
    await Promise.all(clients.map((c) => c.stop().catch(() => undefined)));
    for (const c of clients) c.close();
    await Promise.all(started.reverse().map((p) => stopChild(p, 10_000)));
    await rm(dir, { recursive: true, force: true });
  };
  const dropCleanup = onCleanup(cleanup);
  try {
    const nats = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', join(dir, 'nats')], { stdio: ['ignore', 'ignore', 'pipe'] });
    started.push(nats);
    await waitForStderr(nats, /Server is ready/, 15_000);
    for (const node of NODES) {
      const daemon = spawnNode(join(ctx.repo, 'dist/daemon/sessiond.js'), ['--home', join(dir, node), '--cluster', url, '--node', node], process.env, ['ignore', 'pipe', 'inherit']);
      started.push(daemon);
      await waitForLine(daemon, /listening/, 30_000);
      clients.push(new SessionClient({ home: join(dir, node) }));
    }
    const local = clients[0]!;
    const cluster = new SessionClient({ cluster: url });
    await cluster.nodes(); // connected once: a long-lived client's figures, as the local one's

    const samples = { local: [] as (number | null)[], cluster: [] as (number | null)[] };
    for (let round = 0; round < plan.trials; round++) {
      for (const [name, client] of round % 2 ? ([['cluster', cluster], ['local', local]] as const) : ([['local', local], ['cluster', cluster]] as const)) {
        await sparesReady(clients); // each node's spare refilled, as a user finds it
        const t0 = performance.now();
        try {
          const session = await client.create({});
          samples[name].push(performance.now() - t0);
          await client.terminateSession(session.id);
        } catch (error) {
          console.error(`bench: cluster: ${name} create failed: ${message(error)}`);
          samples[name].push(null);
        }
      }
    }

    const n = plan.clusterSessionsPerNode;
    for (const client of clients) {
      for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => client.create(LIGHT)));
    }
    const lists = { local: [] as number[], cluster: [] as number[] };
    for (let i = 0; i < plan.listCalls; i++) {
      let t0 = performance.now();
      const all = await cluster.listSessions();
      lists.cluster.push(performance.now() - t0);
      if (all.length < 3 * n) throw new Error(`list across the cluster gave ${all.length} sessions, not ${3 * n}`);
      t0 = performance.now();
      await local.listSessions();
      lists.local.push(performance.now() - t0);
    }
    cluster.close();
    return [
      { key: 'cluster.create_local', label: 'create → active on a node, its own socket (API)', unit: 'ms', samples: { sessiond: samples.local } },
      { key: 'cluster.create_remote', label: 'create → active through the cluster (API, 3 nodes)', unit: 'ms', samples: { sessiond: samples.cluster } },
      { key: 'cluster.list_local', label: `list of ${n} sessions on one node`, unit: 'ms', samples: { sessiond: lists.local } },
      { key: 'cluster.list_all', label: `list across 3 nodes × ${n} sessions`, unit: 'ms', samples: { sessiond: lists.cluster } },
    ];
  } finally {
    await cleanup();
    dropCleanup();
  }
}

// Until every node holds a loaded spare again (10 s at most): both creates then take one.
async function sparesReady(clients: readonly SessionClient[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const statuses = await Promise.all(clients.map((c) => c.status()));
    if (statuses.every((s) => (s.spares ?? []).some((spare) => spare.placeholderPid !== null))) return;
    await sleep(20);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function waitForStderr(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`nats-server did not start within ${timeoutMs} ms: ${seen}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
