import type { NatsConnection } from '@nats-io/transport-node';
import { errorMessage, SessiondError } from '../contract/errors.js';
import type { SessionInfo } from '../contract/session.js';
import { Catalog } from './catalog.js';
import { mergeAnswers, unreachableSessions } from './merge.js';
import { connectCluster, shownUrl, type ClusterAddress } from './nats.js';
import { NodeDirectory } from './node-directory.js';
import type { ExecChannel } from '../exec/exec-channel.js';
import type { NatsModule } from './nats.js';
import { openRemoteChannel } from './stream-open.js';
import { placementOrder } from './placement.js';
import { nodeUnreachable, RemoteCaller } from './remote-caller.js';
import { routeOf } from './routes.js';
import { NODES_BUCKET, SESSIONS_BUCKET } from './subjects.js';
import { resolveTarget, whyUnreachable } from './target.js';

// A node refusing a create for one of these is passed over for the next; any other error is the create's own.
const PASS_OVER = new Set(['capacity', 'daemon_unavailable', 'node_unreachable']);

/**
 * The control socket's requests, run across the cluster: each is resolved to where it runs
 * (routes.ts) and sent there as it would be sent to a local daemon; the nodes answer with the
 * same handlers as their sockets. What SessionClient({ cluster }) and sessionctl --cluster use.
 */
export class ClusterClient {
  private up = true;

  private constructor(
    private readonly url: string,
    private readonly nats: NatsModule,
    private readonly nc: NatsConnection,
    private readonly caller: RemoteCaller,
    private readonly directory: NodeDirectory,
    private readonly catalog: Catalog,
  ) {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') {
          this.up = false;
          caller.failAll(this.unavailable('the connection was lost'));
        } else if (status.type === 'reconnect') this.up = true;
      }
    })();
  }

  static async open(address: ClusterAddress): Promise<ClusterClient> {
    const { nats, nc } = await connectCluster(address, 'sessionctl', { timeout: 5000, maxReconnectAttempts: 10, reconnectTimeWait: 500 });
    try {
      const kvm = new nats.Kvm(nc);
      const [nodes, sessions] = await Promise.all([kvm.open(NODES_BUCKET), kvm.open(SESSIONS_BUCKET)]);
      return new ClusterClient(address.url, nats, nc, new RemoteCaller(nats, nc), new NodeDirectory(nodes, nc), new Catalog(sessions, nc));
    } catch (error) {
      await nc.close();
      throw new SessiondError('cluster_unavailable', `no sessiond node has joined the cluster at ${shownUrl(address.url)} (${errorMessage(error)}): start one with sessiond --cluster URL`);
    }
  }

  /** One request, run where it belongs; partials of a stream go to `partial`, whose own error, if it throws, ends the request as it is. */
  request(method: string, params: unknown, partial?: (result: unknown) => void): Promise<unknown> {
    let thrown: { readonly error: unknown } | null = null;
    const handler =
      partial &&
      ((result: unknown) => {
        try {
          partial(result);
        } catch (error) {
          thrown = { error };
          throw error;
        }
      });
    return this.reaching(() => this.run(method, (params ?? {}) as Record<string, unknown>, handler)).catch((error: unknown) => {
      throw thrown ? thrown.error : error;
    });
  }

  /** An exec or attach on the session's node: its bytes stream over NATS (stream-open.ts, stream-relay.ts). */
  openChannel(method: 'exec' | 'attach', params: { readonly id: string }): Promise<ExecChannel> {
    return this.reaching(async () => {
      const target = await resolveTarget(params.id, this.catalog, this.directory);
      if (target.kind === 'unreachable') throw nodeUnreachable(target.record.node, whyUnreachable(target.record.node, target.node));
      return openRemoteChannel(this.nats, this.nc, target.node, method, { ...params, id: target.id });
    });
  }

  /** Only once closed: NATS itself reconnects a lost connection. */
  get closed(): boolean {
    return this.nc.isClosed();
  }

  close(): void {
    this.caller.close();
    void this.nc.close();
  }

  // Every NATS wait on the way is bounded (requests time out, calls are watched: held-check.ts);
  // one that fails with NATS's own error is told as the cluster not reached.
  private async reaching<T>(run: () => Promise<T>): Promise<T> {
    if (!this.up || this.nc.isClosed()) throw this.unavailable('not connected');
    try {
      return await run();
    } catch (error) {
      throw error instanceof SessiondError ? error : this.unavailable(errorMessage(error));
    }
  }

  private async run(method: string, given: Record<string, unknown>, partial?: (result: unknown) => void): Promise<unknown> {
    switch (routeOf(method, given)) {
      case 'place':
        return this.place(given);
      case 'nodes':
        return this.directory.list();
      case 'every-node':
        return this.everyNode(method, given, partial);
      case 'session':
        return this.onSessionNode(method, given, partial);
      case 'local':
        throw new SessiondError('not_supported', `${method} acts on a local daemon only: run it without --cluster on that daemon's host`);
    }
  }

  private async place(params: Record<string, unknown>): Promise<unknown> {
    const nodes = await this.directory.list();
    const wanted = typeof params.node === 'string' ? params.node : undefined;
    let order = placementOrder(nodes);
    if (wanted !== undefined) {
      const node = nodes.find((n) => n.name === wanted);
      if (!node) throw new SessiondError('not_found', `no node named ${wanted} in the cluster; the nodes are ${nodes.map((n) => n.name).join(', ') || 'none'} (sessionctl nodes)`);
      if (node.state !== 'up') throw nodeUnreachable(wanted, whyUnreachable(wanted, node));
      order = [node];
    }
    if (!order.length) throw new SessiondError('node_unreachable', `no node of the cluster at ${shownUrl(this.url)} is up (sessionctl nodes)`);
    const refusals: string[] = [];
    for (const node of order) {
      try {
        return withReach(await this.caller.call(node.name, 'create', { ...params, node: node.name }), true);
      } catch (error) {
        if (wanted !== undefined || !(error instanceof SessiondError) || !PASS_OVER.has(error.code)) throw error;
        refusals.push(`${node.name}: ${error.message}`);
      }
    }
    throw new SessiondError('capacity', `every node refused the session: ${refusals.join('; ')}`);
  }

  private async everyNode(method: string, params: Record<string, unknown>, partial?: (result: unknown) => void): Promise<unknown> {
    const nodes = await this.directory.list();
    const up = nodes.filter((n) => n.state === 'up').map((n) => n.name);
    // Without follow, a node's partials are its answer in pieces (events come in pages): gathered,
    // so that every node's answer merges in order; a follower gets each as it comes.
    const follow = params.follow === true;
    const answers = await Promise.all(
      up.map((node) => {
        const pieces: unknown[] = [];
        const onPartial = follow ? partial && ((item: unknown) => partial(withNode(item, node))) : (item: unknown) => void pieces.push(item);
        return this.caller.call(node, method, params, onPartial).then(
          (result) => ({ node, result: pieces.length ? [...pieces, ...(Array.isArray(result) ? result : [])] : result }),
          (error: unknown) => {
            if (error instanceof SessiondError && error.code === 'node_unreachable') return { node, result: null };
            throw error;
          },
        );
      }),
    );
    const missing = new Set([...nodes.filter((n) => n.state !== 'up').map((n) => n.name), ...answers.filter((a) => a.result === null).map((a) => a.node)]);
    const merged = mergeAnswers(method, answers.filter((a) => a.result !== null) as { node: string; result: unknown[] }[]);
    if (method !== 'list' || !missing.size) return merged;
    const others = unreachableSessions(await this.catalog.all(), missing, params.all === true);
    return [...(merged as SessionInfo[]), ...others].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private async onSessionNode(method: string, params: Record<string, unknown>, partial?: (result: unknown) => void): Promise<unknown> {
    const key = typeof params.id === 'string' ? 'id' : 'session';
    const target = await resolveTarget(String(params[key]), this.catalog, this.directory);
    if (target.kind === 'unreachable') {
      // What is last known of the session stays readable; anything that needs its node fails, naming it.
      if (method === 'info' && target.record.session) return { ...target.record.session, node: target.record.node, reachable: false };
      throw nodeUnreachable(target.record.node, whyUnreachable(target.record.node, target.node));
    }
    const onPartial = partial && (key === 'session' ? (item: unknown) => partial(withNode(item, target.node)) : partial);
    const result = await this.caller.call(target.node, method, { ...params, [key]: target.id }, onPartial);
    return key === 'session' && Array.isArray(result) ? result.map((item: unknown) => withNode(item, target.node)) : withReach(result, true);
  }

  private unavailable(why: string): SessiondError {
    return new SessiondError('cluster_unavailable', `the cluster cannot be reached at ${shownUrl(this.url)} (${why}); local sessions are not affected`);
  }
}

// Events and messages of many nodes say which node each came from.
function withNode(item: unknown, node: string): unknown {
  return item !== null && typeof item === 'object' && !Array.isArray(item) ? { ...item, node } : item;
}

function withReach(result: unknown, reachable: boolean): unknown {
  return result !== null && typeof result === 'object' && 'registryKey' in result ? { ...result, reachable } : result;
}
