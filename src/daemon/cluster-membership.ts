import type { Logger } from 'pino';
import { errorMessage, SessiondError } from '../contract/errors.js';
import type { Handlers } from '../control/dispatch.js';
import type { ClusterNode } from '../cluster/node.js';
import type { NodeHooks } from '../cluster/node-handlers.js';
import { defaultNodeName } from '../cluster/node-name.js';
import type { Store } from '../store/index.js';
import type { Journal } from './journal.js';
import type { ClusterSettings } from './settings.js';

const RETRY_JOIN_MS = 2000;

/** The daemon's place in a cluster: a node once joined, or a join still being tried. */
export interface Membership {
  node(): NodeHooks | null;
  serve(handlers: Handlers): Promise<void>;
  /** Sessions pruned from the store leave the catalog too. */
  forget(ids: readonly string[]): void;
  leave(): Promise<void>;
}

/**
 * Cluster credentials reach the daemon through its flags or settings file and never go further:
 * the environment every session inherits must not carry a client's cluster address or creds
 * file either (a daemon started by `sessionctl` under SESSIOND_CLUSTER has them).
 */
export function forgetClusterEnv(): void {
  delete process.env.SESSIOND_CLUSTER;
  delete process.env.SESSIOND_CLUSTER_CREDS;
}

/**
 * Joins the cluster at start. A taken node name refuses the start (already_exists); a cluster
 * that cannot be reached yet does not: the daemon serves locally and joins once NATS answers. The
 * NATS client is imported here only, on demand: a daemon without --cluster never loads it.
 */
export async function joinCluster(settings: ClusterSettings, context: { store: Store; journal: Journal; log: Logger; maxSessions: number | null; socket: string }): Promise<Membership> {
  const { ClusterNode } = await import('../cluster/node.js');
  const options = { address: { url: settings.url, credsFile: settings.credsFile }, name: settings.node ?? defaultNodeName(), ...context };
  let node: ClusterNode | null = null;
  let handlers: Handlers | null = null;
  let leaving = false;
  let retry: NodeJS.Timeout | null = null;
  const attempt = async (): Promise<void> => {
    try {
      node = await ClusterNode.join(options);
      if (handlers) await node.serve(handlers);
    } catch (error) {
      if (!(error instanceof SessiondError && error.code === 'cluster_unavailable')) throw error;
      context.log.warn(`${errorMessage(error)}: serving locally, joining once it answers`);
      if (!leaving) retry = setTimeout(() => void attempt().catch((e: unknown) => context.log.error({ err: e }, `cannot join the cluster: ${errorMessage(e)}`)), RETRY_JOIN_MS);
    }
  };
  await attempt();
  return {
    node: () => node,
    async serve(given) {
      handlers = given;
      await node?.serve(given);
    },
    forget(ids) {
      if (ids.length) void node?.forget(ids);
    },
    async leave() {
      leaving = true;
      if (retry) clearTimeout(retry);
      await node?.leave();
    },
  };
}
