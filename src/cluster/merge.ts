import type { SessionInfo } from '../contract/session.js';
import type { CatalogRecord } from './catalog.js';

/** Pure: the answers of every node to one method as one answer: sessions by creation, events and messages by time, each saying its node. */
export function mergeAnswers(method: string, answers: readonly { node: string; result: readonly unknown[] }[]): unknown[] {
  const items = answers.flatMap(({ node, result }) => result.map((item) => ({ ...(item as object), node }) as Record<string, unknown>));
  if (method === 'list') return items.map((s) => ({ ...s, reachable: true })).sort(by('createdAt'));
  return items.sort(by('at'));
}

/** Pure: the sessions the catalog last recorded for nodes that cannot answer, marked unreachable. */
export function unreachableSessions(records: readonly CatalogRecord[], nodes: ReadonlySet<string>, all: boolean): SessionInfo[] {
  return records
    .filter((r) => nodes.has(r.node) && r.session !== null && (all || r.session.status !== 'terminated'))
    .map((r) => ({ ...r.session!, node: r.node, reachable: false }));
}

function by(field: string) {
  return (a: Record<string, unknown>, b: Record<string, unknown>) => String(a[field] ?? '').localeCompare(String(b[field] ?? ''));
}
