import type { NodeInfo } from './node-info.js';

/** How much a node without `--max-sessions` is taken to hold, to weigh it against nodes with one. */
export const UNBOUNDED_CAPACITY = 1000;

/**
 * Pure: the nodes a create should try, best first. Only nodes that are up; the most room first
 * (live sessions against `--max-sessions`, a node at its maximum last of all), then the most free
 * memory; equal nodes in a random order (`random` in [0, 1)) so that simultaneous creates
 * spread. A node that refuses is passed over for the next.
 */
export function placementOrder(nodes: readonly NodeInfo[], random: () => number = Math.random): NodeInfo[] {
  const keyed = nodes
    .filter((node) => node.state === 'up')
    .map((node) => ({ node, full: node.maxSessions !== null && node.sessions >= node.maxSessions, load: node.sessions / (node.maxSessions ?? UNBOUNDED_CAPACITY), tie: random() }));
  keyed.sort((a, b) => Number(a.full) - Number(b.full) || a.load - b.load || b.node.freeMemory - a.node.freeMemory || a.tie - b.tie);
  return keyed.map((k) => k.node);
}
