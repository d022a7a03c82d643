import { SessiondError } from '../contract/errors.js';
import type { SessionInfo } from '../contract/session.js';
import type { Handler, Handlers } from '../control/dispatch.js';
import { METHODS, type Method } from '../control/protocol.js';
import type { NodeInfo } from './node-info.js';

/** What the daemon's handlers need of its node (null: a daemon without --cluster). */
export interface NodeHooks {
  readonly name: string;
  claim(id: string): Promise<void>;
  release(id: string): Promise<void>;
  nodes(): Promise<NodeInfo[]>;
}

/**
 * The daemon's handlers as a node: each session JSON says its `node` (null outside a cluster), a
 * create with an id of its own claims it cluster-wide before anything starts (a generated id, a
 * uuid, is recorded once it exists: it keeps taking a whole spare), `create --node` must name
 * this node, and `nodes` is answered from the cluster.
 */
export function withNode(handlers: Handlers, node: () => NodeHooks | null): Handlers {
  const wrapped: Partial<Record<Method, Handler<Method>>> = {};
  for (const method of METHODS) {
    const handler = handlers[method] as Handler<Method>;
    wrapped[method] = async (params, context) => withNodeField(await handler(params, context), node()?.name ?? null);
  }
  return {
    ...(wrapped as Handlers),
    create: async ({ node: wanted, ...params }, context) => {
      const hooks = node();
      if (wanted !== undefined && wanted !== hooks?.name) {
        throw new SessiondError('invalid_params', hooks ? `this sessiond is node ${hooks.name}, not ${wanted}: give sessionctl --cluster URL to place a session on another node` : `--node ${wanted}: this sessiond is not in a cluster (start it with --cluster URL)`);
      }
      const id = params.id;
      if (!hooks || id === undefined) return withNodeField(await handlers.create(params, context), hooks?.name ?? null);
      await hooks.claim(id);
      try {
        return withNodeField(await handlers.create(params, context), hooks.name);
      } catch (error) {
        await hooks.release(id);
        throw error;
      }
    },
    nodes: async (params, context) => {
      const hooks = node();
      return hooks ? hooks.nodes() : handlers.nodes(params, context);
    },
  };
}

function withNodeField<R>(result: R, node: string | null): R {
  if (Array.isArray(result)) return result.map((item: unknown) => withNodeField(item, node)) as R;
  if (isSession(result)) return { ...result, node } as R;
  return result;
}

function isSession(value: unknown): value is SessionInfo {
  return value !== null && typeof value === 'object' && 'registryKey' in value && 'status' in value;
}
