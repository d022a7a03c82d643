import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionInfo } from '../../src/contract/session.js';
import type { NodeInfo } from '../../src/cluster/node-info.js';
import { Harness, waitFor, type CliResult } from '../cli/harness.js';
import { NatsServer } from './nats-server.js';

export const SESSIOND = join(import.meta.dirname, '..', '..', 'dist', 'daemon', 'sessiond.js');

/** One node: a sessiond in the foreground on its own state dir, joined to the cluster as `name`. */
export class NodeDaemon {
  readonly local: Harness = new Harness();
  process: ChildProcess | null = null;
  output = '';

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly extra: readonly string[] = [],
  ) {}

  /** Starts the daemon (again, on the same state dir) and resolves once its socket answers; `exit` resolves with its code if it ends. */
  start(env: NodeJS.ProcessEnv = process.env): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, [SESSIOND, '--home', this.local.home, '--cluster', this.url, '--node', this.name, '--warm', '0', ...this.extra], { stdio: ['ignore', 'pipe', 'pipe'], env });
    this.process = child;
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    return waitFor(() => (child.exitCode !== null ? Promise.reject(new Error(`sessiond ${this.name} exited ${child.exitCode}: ${this.output}`)) : this.output.includes('listening on')), `sessiond ${this.name} to start`, 30_000, 50).then(() => {
      this.local.noteDaemon();
    });
  }

  get pid(): number {
    return this.process!.pid!;
  }

  /** SIGKILLs the daemon (its sessions' processes follow it, as on one host). */
  async kill(): Promise<void> {
    const child = this.process!;
    this.local.noteDaemon();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async teardown(): Promise<void> {
    await this.local.teardown();
  }
}

/** A NATS server and three nodes (separate state dirs and names), and a client that runs sessionctl --cluster. */
export class Cluster {
  readonly client = new Harness();

  private constructor(
    readonly nats: NatsServer,
    readonly nodes: readonly NodeDaemon[],
  ) {}

  static async start(names: readonly string[] = ['alpha', 'beta', 'gamma'], extra: readonly string[] = []): Promise<Cluster> {
    const nats = await NatsServer.start();
    const cluster = new Cluster(nats, names.map((name) => new NodeDaemon(name, nats.url, extra)));
    await Promise.all(cluster.nodes.map((node) => node.start()));
    return cluster;
  }

  node(name: string): NodeDaemon {
    return this.nodes.find((n) => n.name === name)!;
  }

  /** sessionctl --cluster URL …args. */
  cli(args: readonly string[], env?: Record<string, string>): Promise<CliResult> {
    return this.client.cli(['--cluster', this.nats.url, ...args], env ? { env } : {});
  }

  async json<T>(args: readonly string[]): Promise<T> {
    const result = await this.cli([...args, '--json']);
    if (result.exitCode !== 0) throw new Error(`sessionctl --cluster ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  async create(args: readonly string[] = []): Promise<SessionInfo> {
    const session = await this.json<SessionInfo>(['create', ...args]);
    for (const node of this.nodes) if (node.name === session.node) node.local.noteSession(session);
    return session;
  }

  nodeInfos(): Promise<NodeInfo[]> {
    return this.json<NodeInfo[]>(['nodes']);
  }

  teardown(): Promise<void> {
    return teardownAll(this.nodes, this.client, this.nats);
  }
}

/** Tears down whatever a test got to start: its nodes, its client, its NATS server. */
export async function teardownAll(nodes: readonly (NodeDaemon | undefined)[], client: Harness, nats: NatsServer | undefined): Promise<void> {
  try {
    await Promise.allSettled(nodes.map((node) => node?.teardown()));
    await client.teardown();
  } finally {
    await nats?.close();
  }
}

export { existsSync, waitFor };
