import { notFound } from '../contract/errors.js';
import { mayStandFor, resolveSessionId } from '../contract/id-prefix.js';
import type { Catalog, CatalogRecord } from './catalog.js';
import type { NodeDirectory } from './node-directory.js';
import type { NodeInfo } from './node-info.js';

/** Where a request about one session runs: on its node, or nowhere, its node being unreachable (with what is last known of it). */
export type Target =
  | { readonly kind: 'remote'; readonly id: string; readonly node: string }
  | { readonly kind: 'unreachable'; readonly id: string; readonly node: NodeInfo | null; readonly record: CatalogRecord };

/**
 * The target of an id or id prefix, cluster-wide: the catalog names its node, the nodes bucket
 * says whether that node is up. A prefix resolves as on one host (4 characters at least; an
 * ambiguous one is bad usage naming the candidates); none: not_found.
 */
export async function resolveTarget(text: string, catalog: Catalog, directory: NodeDirectory): Promise<Target> {
  let record = await catalog.get(text);
  if (!record) {
    const ids = await catalog.ids((id) => mayStandFor(text, id));
    const id = resolveSessionId(text, { has: (candidate) => ids.includes(candidate), ids: () => ids });
    record = id === null ? null : await catalog.get(id);
  }
  if (!record) throw notFound(text);
  const node = await directory.get(record.node);
  if (node?.state === 'up') return { kind: 'remote', id: record.id, node: record.node };
  return { kind: 'unreachable', id: record.id, node, record };
}

/** Why a node cannot take a request, as the message of node_unreachable says it. */
export function whyUnreachable(name: string, node: NodeInfo | null): string {
  if (!node) return `node ${name} has never announced itself`;
  return node.state === 'stopped' ? `its daemon was stopped at ${node.lastHeardAt}` : `not heard from since ${node.lastHeardAt}`;
}
