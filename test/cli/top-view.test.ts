import { describe, expect, it } from 'vitest';
import { renderFrame, shortId, sortSessions } from '../../src/cli/top/view.js';
import type { NodeInfo } from '../../src/cluster/node-info.js';
import type { SessionInfo } from '../../src/contract/session.js';

const session = (id: string, status: string, createdAt: string): SessionInfo =>
  ({
    id,
    status,
    createdAt,
    children: [{ name: 'placeholder', pid: 1, status: 'running', restarts: 0, lastExit: null }],
    restarts: 0,
    stats: { cpu: 1.25, memory: 50 * 1024 * 1024 },
  }) as unknown as SessionInfo;

const status = { running: true, pid: 42, uptimeMs: 61_000, home: '/h', sessions: null, version: '9.9.9' };

describe('top, the view', () => {
  it('short ids: 8 characters of a generated uuid, a chosen id whole', () => {
    expect(shortId('session_1f3a9c2e-0000-4000-8000-000000000001')).toBe('1f3a9c2e');
    expect(shortId('my-session')).toBe('my-session');
    expect(shortId('x'.repeat(40))).toBe(`${'x'.repeat(23)}…`);
  });

  it('sorts by status in lifecycle order, then oldest first; unknown statuses last', () => {
    const sorted = sortSessions([
      session('c', 'idle', '2026-01-01T00:00:01Z'),
      session('d', 'someday', '2026-01-01T00:00:00Z'),
      session('b', 'active', '2026-01-01T00:00:02Z'),
      session('a', 'active', '2026-01-01T00:00:01Z'),
      session('e', 'initializing', '2026-01-01T00:00:09Z'),
    ]);
    expect(sorted.map((s) => s.id)).toEqual(['e', 'a', 'b', 'c', 'd']);
  });

  it('across a cluster: the nodes up in the headline, each session with its node, ? after one unreachable', () => {
    const node = (name: string, state: string) => ({ name, state }) as unknown as NodeInfo;
    const sessions = [
      { ...session('a', 'active', '2026-01-01T00:00:01Z'), node: 'alpha', reachable: true },
      { ...session('b', 'idle', '2026-01-01T00:00:02Z'), node: 'beta', reachable: false },
    ];
    const lines = renderFrame({ sessions, status: null, nodes: [node('alpha', 'up'), node('beta', 'unreachable')], problem: null }, { width: 120, height: 8 }, Date.parse('2026-01-01T00:01:00Z'));
    expect(lines[0]).toMatch(/^sessiond cluster · 1\/2 nodes up · 2 sessions · /);
    expect(lines[1]).toMatch(/^ID\s+NODE\s+STATUS/);
    expect(lines[2]).toMatch(/^a\s+alpha\s+active\s/);
    expect(lines[3]).toMatch(/^b\s+beta\s+idle\?\s/);
  });

  it('fits the terminal: lines cut to its width, rows past its height summed up', () => {
    const sessions = Array.from({ length: 30 }, (_, i) => session(`s-${String(i).padStart(2, '0')}`, 'active', `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`));
    const lines = renderFrame({ sessions, status, problem: null }, { width: 60, height: 10 }, Date.parse('2026-01-01T00:01:00Z'));
    expect(lines).toHaveLength(10);
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(lines[0]).toBe("sessiond 9.9.9 · pid 42 · up 1m 1s · 30 sessions · cpu 37.5%"); // cut at 60
    expect(lines[2]).toMatch(/^s-00\s+active\s+1\/1\s+0\s+1m 0s\s+1\.3%\s+50\.0 MiB/);
    expect(lines[8]).toBe('… 24 more (a taller terminal shows them)');
    expect(lines[9]).toMatch(/^q quit/);
  });

  it('says what is wrong when the daemon does not answer', () => {
    const lines = renderFrame({ sessions: [], status: null, problem: 'sessiond is not running; asking again every second' }, { width: 80, height: 6 });
    expect(lines[0]).toMatch(/^sessiond: no answer · \d\d:\d\d:\d\d$/);
    expect(lines[1]).toBe('sessiond is not running; asking again every second');
  });
});
