import { describe, expect, it } from 'vitest';
import { sessionDetails } from '../../src/cli/format.js';
import type { ChildInfo, SessionInfo } from '../../src/contract/session.js';

const child = (lastExit: ChildInfo['lastExit']): ChildInfo => ({ name: 'p', pid: null, status: 'running', restarts: 1, lastExit, cwd: '/', significant: false, nextRestartAt: null });
const session = (children: ChildInfo[]) => ({
  id: 'session_x', status: 'active', registryKey: 'session_supervisor:session_x', supervisorPid: 1, children, restarts: 1,
  strategy: 'one_for_one', autoShutdown: 'never',
  limits: { memoryMax: null, cpuMax: null, maxProcesses: null, ttlMs: null, idleTerminateMs: null, enforcement: null },
  metadata: {}, llmConfig: {}, createdAt: 'now', updatedAt: 'now', error: null, stats: { cpu: 0, memory: 0 }, isolation: null,
}) as SessionInfo;

describe("info's LAST EXIT", () => {
  it('says why sessiond ended the child when it did', () => {
    const at = '2026-12-06T00:00:00.000Z';
    expect(sessionDetails(session([child({ code: null, signal: 'SIGKILL', at, reason: 'hung' })]))).toMatch(/signal SIGKILL \(hung\)/);
    expect(sessionDetails(session([child({ code: null, signal: 'SIGKILL', at, reason: 'memory' })]))).toMatch(/signal SIGKILL \(memory\)/);
    expect(sessionDetails(session([child({ code: 3, signal: null, at })]))).toMatch(/code 3\s*$/m);
  });
});
