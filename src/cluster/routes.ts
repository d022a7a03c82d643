/** How the cluster's client runs a method: one pure decision per request, then the one way to run it. */
export type Route =
  /** Placed on the node with the most room (or `node`), passing over nodes that refuse. */
  | 'place'
  /** Asked of every node that is up, the answers merged (with the last known sessions of the others for `list`). */
  | 'every-node'
  /** Run on the node of the session named by `id` (or `session`). */
  | 'session'
  /** Answered from the cluster's own records. */
  | 'nodes'
  /** Acts on the local daemon only. */
  | 'local';

export function routeOf(method: string, params: Readonly<Record<string, unknown>>): Route {
  if (method === 'create') return 'place';
  if (method === 'nodes') return 'nodes';
  if (method === 'list' || method === 'events' || method === 'messages') return params.session === undefined ? 'every-node' : 'session';
  if (typeof params.id === 'string') return 'session';
  return 'local';
}
