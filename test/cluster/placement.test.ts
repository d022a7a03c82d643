import { describe, expect, it } from 'vitest';
import { mergeAnswers, unreachableSessions } from '../../src/cluster/merge.js';
import { nodeInfo, type NodeInfo } from '../../src/cluster/node-info.js';
import { placementOrder } from '../../src/cluster/placement.js';
import { routeOf } from '../../src/cluster/routes.js';
import { natsOptions, shownUrl } from '../../src/cluster/nats.js';
import { sessionIdOfKey, sessionKey } from '../../src/cluster/subjects.js';

const node = (name: string, sessions: number, maxSessions: number | null, freeMemory: number, state: NodeInfo['state'] = 'up'): NodeInfo => ({
  name, sessions, maxSessions, freeMemory, state, pid: 1, version: '0.1.0', startedAt: '', lastHeardAt: '',
});

describe('placement: the node with the most room first', () => {
  it.each([
    ['fewest sessions first', [node('a', 3, null, 9), node('b', 1, null, 1), node('c', 2, null, 5)], ['b', 'c', 'a']],
    ['sessions against --max-sessions', [node('a', 5, 10, 1), node('b', 2, 3, 1)], ['a', 'b']],
    ['a full node last', [node('a', 4, 4, 99), node('b', 900, null, 1)], ['b', 'a']],
    ['then the most free memory', [node('a', 1, null, 5), node('b', 1, null, 7)], ['b', 'a']],
    ['only nodes that are up', [node('a', 0, null, 5, 'unreachable'), node('b', 9, null, 1), node('c', 0, null, 9, 'stopped')], ['b']],
  ])('%s', (_what, nodes, order) => {
    expect(placementOrder(nodes, () => 0).map((n) => n.name)).toEqual(order);
  });

  it('orders equal nodes at random, so that simultaneous creates spread', () => {
    const equal = [node('a', 1, null, 5), node('b', 1, null, 5)];
    expect(placementOrder(equal, (() => { let i = 0; return () => [0.9, 0.1][i++ % 2]!; })()).map((n) => n.name)).toEqual(['b', 'a']);
  });
});

describe('a node as nodes shows it', () => {
  const announced = { name: 'a', instance: 'x', pid: 1, sessions: 0, maxSessions: null, freeMemory: 1, version: '0.1.0', startedAt: '', stopped: false };
  it('is unreachable once not heard from for 15 s, stopped once it left', () => {
    const heard = new Date(1_000_000);
    expect(nodeInfo(announced, heard, 1_000_000 + 15_000).state).toBe('up');
    expect(nodeInfo(announced, heard, 1_000_000 + 15_001).state).toBe('unreachable');
    expect(nodeInfo({ ...announced, stopped: true }, heard, 1_000_000).state).toBe('stopped');
    expect(nodeInfo(announced, heard, 0)).not.toHaveProperty('instance');
  });
});

describe('routes: where each request runs', () => {
  it.each([
    ['create', {}, 'place'],
    ['list', {}, 'every-node'],
    ['events', {}, 'every-node'],
    ['events', { session: 'abcd' }, 'session'],
    ['messages', { session: 'abcd' }, 'session'],
    ['info', { id: 'abcd' }, 'session'],
    ['send', { id: 'abcd', body: 1 }, 'session'],
    ['exec', { id: 'abcd' }, 'session'],
    ['nodes', {}, 'nodes'],
    ['stop', {}, 'local'],
    ['status', {}, 'local'],
  ])('%s %j → %s', (method, params, route) => {
    expect(routeOf(method, params)).toBe(route);
  });
});

describe('merging the nodes’ answers', () => {
  it('sorts sessions by creation and events by time, each with its node', () => {
    const merged = mergeAnswers('list', [
      { node: 'a', result: [{ id: '2', createdAt: '2026-01-02' }] },
      { node: 'b', result: [{ id: '1', createdAt: '2026-01-01' }] },
    ]);
    expect(merged).toEqual([{ id: '1', createdAt: '2026-01-01', node: 'b', reachable: true }, { id: '2', createdAt: '2026-01-02', node: 'a', reachable: true }]);
    expect(mergeAnswers('events', [{ node: 'a', result: [{ at: '2' }] }, { node: 'b', result: [{ at: '1' }] }])).toEqual([{ at: '1', node: 'b' }, { at: '2', node: 'a' }]);
  });

  it('shows the last known sessions of unreachable nodes, terminated ones only with --all', () => {
    const session = (status: string) => ({ id: status, status }) as never;
    const records = [
      { id: 'x', revision: 1, node: 'gone', session: session('active') },
      { id: 'y', revision: 1, node: 'gone', session: session('terminated') },
      { id: 'z', revision: 1, node: 'up', session: session('active') },
      { id: 'w', revision: 1, node: 'gone', session: null },
    ];
    expect(unreachableSessions(records, new Set(['gone']), false)).toEqual([{ id: 'active', status: 'active', node: 'gone', reachable: false }]);
    expect(unreachableSessions(records, new Set(['gone']), true)).toHaveLength(2);
  });
});

describe('the cluster URL and keys', () => {
  it('takes credentials out of the URL into the connection options, and never shows them', () => {
    expect(natsOptions({ url: 'nats://u:p%40ss@10.0.0.1:4222,tls://h2' }, 'n').options).toMatchObject({ servers: ['10.0.0.1:4222', 'h2:4222'], user: 'u', pass: 'p@ss', tls: {} });
    expect(natsOptions({ url: 'nats://tok@h' }, 'n').options).toMatchObject({ token: 'tok' });
    expect(shownUrl('nats://u:secret@h:1,nats://v:w@g')).toBe('nats://h:1,nats://g');
    expect(() => natsOptions({ url: 'http://h' }, 'n')).toThrow(/nats:\/\/ or tls:\/\//);
    expect(() => natsOptions({ url: 'nats://h', credsFile: '/nonexistent/creds' }, 'n')).toThrow(/cannot be read/);
  });

  it('keeps session ids with dots as valid KV keys, both ways', () => {
    for (const id of ['a.b.c', 'x.', 'session_1-2', 'a..b']) expect(sessionIdOfKey(sessionKey(id))).toBe(id);
    expect(sessionKey('a..b')).not.toMatch(/\.\.|^\.|\.$/);
  });
});
