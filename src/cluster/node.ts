import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { errorMessage, SessiondError } from '../contract/errors.js';
import { packageVersion } from '../contract/version.js';
import type { Handlers } from '../control/dispatch.js';
import type { Journal } from '../daemon/journal.js';
import type { Store } from '../store/index.js';
import { Catalog } from './catalog.js';
import { CatalogSync } from './catalog-sync.js';
import { availableMemory } from './memory.js';
import { connectCluster, shownUrl, type ClusterAddress, type NatsModule } from './nats.js';
import { NodeDirectory } from './node-directory.js';
import { ANNOUNCE_EVERY_MS, type NodeAnnouncement, type NodeInfo } from './node-info.js';
import { notOverNats, RpcServer } from './rpc-server.js';
import { heldSubject, NODES_BUCKET, pingSubject, SESSIONS_BUCKET } from './subjects.js';
import { StreamRelay } from './stream-relay.js';

export interface NodeOptions {
  readonly address: ClusterAddress;
  readonly name: string;
  readonly store: Store;
  readonly journal: Journal;
  readonly log: Logger;
  readonly maxSessions: number | null;
  /** The daemon's control socket: an exec or attach from the cluster is opened there, as a local client opens it. */
  readonly socket: string;
}

/**
 * A daemon as a node of the cluster: announces itself every 2 s, serves its sessions' requests
 * from NATS through the control socket's handlers, claims each new session id in the catalog and
 * keeps the catalog's record of its sessions. NATS going away changes nothing local; the client
 * reconnects by itself, and on each (re)connect the node announces itself and reconciles.
 */
export class ClusterNode {
  private readonly instance = randomUUID();
  private readonly startedAt = new Date().toISOString();
  private server: RpcServer | null = null;
  private relay: StreamRelay | null = null;
  private sync: CatalogSync | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  private handlers: Handlers | null = null;

  private constructor(
    private readonly options: NodeOptions,
    private readonly nats: NatsModule,
    private readonly nc: NatsConnection,
    private readonly directory: NodeDirectory,
    readonly catalog: Catalog,
  ) {}

  get name(): string {
    return this.options.name;
  }

  /**
   * Joins as node `name`: refused (already_exists) when a live daemon holds the name,
   * cluster_unavailable when NATS cannot be reached. Nothing is served until `serve`.
   */
  static async join(options: NodeOptions): Promise<ClusterNode> {
    const { nats, nc } = await connectCluster(options.address, `sessiond ${options.name}`, { maxReconnectAttempts: -1, reconnectTimeWait: 1000, pingInterval: 5000 });
    try {
      const kvm = new nats.Kvm(nc);
      const [nodesKv, sessionsKv] = await Promise.all([kvm.create(NODES_BUCKET, { history: 1 }), kvm.create(SESSIONS_BUCKET, { history: 1 })]);
      const node = new ClusterNode(options, nats, nc, new NodeDirectory(nodesKv, nc), new Catalog(sessionsKv, nc));
      await node.directory.claim(node.announcement());
      return node;
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  /** Serves the node's requests through `handlers` (the control socket's), announces it every 2 s, and reconciles the catalog. */
  async serve(handlers: Handlers): Promise<void> {
    const { log, name } = this.options;
    this.handlers = handlers;
    this.nc.subscribe(pingSubject(name), { callback: (_e, msg) => void msg.respond(JSON.stringify({ pid: process.pid, instance: this.instance })) });
    const remote = { ...handlers, stop: refuseRemote, restart: refuseRemote } as Handlers;
    this.server = new RpcServer(this.nats, this.nc, name, remote, log, (method) => this.settle(method));
    this.relay = new StreamRelay(this.nc, name, this.options.socket, log);
    const { server, relay } = this;
    this.nc.subscribe(heldSubject(name), { callback: (_e, msg) => void msg.respond(server.holds(msg.string()) || relay.holds(msg.string()) ? '1' : '0') });
    this.sync = new CatalogSync(this.catalog, name, this.options.store, this.options.journal, log, () => this.connected());
    this.timer = setInterval(() => void this.announce(), ANNOUNCE_EVERY_MS);
    void this.watchConnection();
    await this.reconcile();
    log.info({ node: name, cluster: shownUrl(this.options.address.url) }, 'joined the cluster');
  }

  /** Whether NATS is reachable now: without it, creates go on locally and are claimed on the next reconnect. */
  connected(): boolean {
    return !this.nc.isClosed() && !this.reconnecting;
  }

  /** Claims a new session's id cluster-wide before it starts; skipped (and left to the reconciliation) while NATS is away. */
  async claim(id: string): Promise<void> {
    if (!this.connected()) return;
    try {
      await this.catalog.claim(id, this.name);
    } catch (error) {
      if (error instanceof SessiondError) throw error;
      this.options.log.warn({ err: error, id }, `could not claim ${id} in the cluster's catalog: ${errorMessage(error)}; claimed on the next reconnect`);
    }
  }

  /** A claim whose create failed before the session existed: the id is free again. */
  async release(id: string): Promise<void> {
    if (this.connected() && !this.options.store.sessions.get(id)) await this.catalog.remove(id).catch(() => undefined);
  }

  /** Sessions pruned from the store: their catalog entries go too. */
  async forget(ids: readonly string[]): Promise<void> {
    if (!this.connected()) return; // the next reconciliation removes them
    for (const id of ids) await this.catalog.forget(id, this.name).catch(() => undefined);
  }

  async nodes(): Promise<NodeInfo[]> {
    if (!this.connected()) throw new SessiondError('cluster_unavailable', `the cluster cannot be reached at ${shownUrl(this.options.address.url)}; this node goes on locally and rejoins by itself`);
    return this.directory.list();
  }

  /** Leaves on purpose: the node shows as stopped, its sessions' records as they are. */
  async leave(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.server?.close();
    this.relay?.close();
    await this.sync?.flush().catch(() => undefined);
    await this.announce().catch(() => undefined);
    await this.nc.drain().catch(() => undefined);
  }

  private reconnecting = false;

  /**
   * Before the reply to a request over the cluster: the catalog has what it changed (the next
   * lookup finds a new id, the next create of a terminated session's id takes it), and after a
   * create the next placement sees this node's new count.
   */
  async settle(method: string): Promise<void> {
    // A read changes nothing: its reply waits for no write (a list while the catalog is catching up with a burst of events).
    if (READS.has(method)) return;
    // Twice: a flush already under way may have begun before this request's own change.
    await Promise.all([method === 'create' ? this.announce() : undefined, this.sync?.flush().then(() => this.sync?.flush())]);
  }

  /** Puts this node's announcement now; a failure waits for the next tick. */
  async announce(): Promise<void> {
    if (this.nc.isClosed() || this.reconnecting) return;
    try {
      const held = await this.directory.announce(this.announcement());
      if (!held) this.options.log.error({ node: this.name }, `another daemon now announces itself as node ${this.name}: two daemons share one name; stop one`);
    } catch (error) {
      this.options.log.debug({ err: error }, `announce failed: ${errorMessage(error)}`);
    }
  }

  private reconcile(): Promise<void> {
    const context = { signal: new AbortController().signal, partial: () => undefined, unread: () => 0, takeConnection: notOverNats };
    const { handlers, sync } = this;
    return handlers && sync ? sync.reconcile((id) => handlers.terminate({ id }, context)) : Promise.resolve();
  }

  private announcement(): NodeAnnouncement {
    return {
      name: this.name,
      instance: this.instance,
      pid: process.pid,
      sessions: this.options.store.sessions.list({ all: false }).length,
      maxSessions: this.options.maxSessions,
      freeMemory: availableMemory(),
      version: packageVersion(),
      startedAt: this.startedAt,
      stopped: this.stopped,
    };
  }

  // NATS reconnects by itself; once it has, the node is announced and the catalog reconciled.
  private async watchConnection(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnecting') {
        if (!this.reconnecting) this.options.log.warn('lost the cluster; serving locally, reconnecting');
        this.reconnecting = true;
      } else if (status.type === 'reconnect') {
        this.reconnecting = false;
        this.options.log.info('back in the cluster');
        await this.announce();
        await this.reconcile().catch((error: unknown) => this.options.log.warn({ err: error }, `reconciling the catalog failed: ${errorMessage(error)}`));
      }
    }
  }
}

/** The requests that change nothing on the node: their reply goes out at once. */
const READS: ReadonlySet<string> = new Set(['list', 'info', 'describe', 'find', 'llm-agent', 'events', 'logs', 'messages', 'status', 'nodes']);

async function refuseRemote(): Promise<never> {
  throw new SessiondError('not_supported', 'daemon stop and daemon restart act on the local daemon only, never across the cluster');
}
