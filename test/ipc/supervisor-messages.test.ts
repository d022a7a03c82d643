// The daemon ↔ supervisor shapes: what passes, and how each bad field is named.
import { describe, expect, test } from 'vitest';
import { describeIssues } from '../../src/contract/issues.js';
import { boolean, object, optional, type ParseResult } from '../../src/ipc/shape.js';
import { fromSupervisor, toSupervisor, type SupervisorInit } from '../../src/ipc/supervisor-messages.js';
import { childSpecFor, specFor } from '../store/helpers.js';

const child = childSpecFor({ name: 'placeholder', file: '/x/placeholder.js', env: { A: 'b' } });
const init: SupervisorInit = {
  session: { ...specFor('s1', { k: 1 }), llmConfig: { apiKey: 'x' }, children: [child], strategy: 'one_for_one', maxRestarts: 3, maxSeconds: 5 },
  heartbeatMs: 1000,
  startTimeoutMs: 10_000,
  logDir: null,
};
const state = { name: 'placeholder', pid: 42, status: 'running', restarts: 0, lastExit: { code: null, signal: 'SIGKILL', at: 'now' }, nextRestartAt: null };

function problems(result: ParseResult<unknown>): string | null {
  return result.success ? null : describeIssues(result.error);
}

describe('toSupervisor', () => {
  test.each([[{ type: 'init', init }], [{ type: 'ping', seq: 7 }], [{ type: 'shutdown' }]])('accepts %j', (message) => {
    const result = toSupervisor.safeParse(message);
    expect(result).toEqual({ success: true, data: message });
  });

  test.each([
    [null, 'expected an object, got null'],
    [[], 'expected an object, got an array'],
    [{ type: 'reboot' }, 'type: expected one of init, spare, ping, shutdown, request, exec, exec_output, attach'],
    [{ type: 'ping' }, 'seq: expected a number, got undefined'],
    [{ type: 'ping', seq: '1' }, 'seq: expected a number, got string'],
    [{ type: 'init', init: { ...init, heartbeatMs: 0 } }, 'init.heartbeatMs: expected an integer ≥ 1, got 0'],
    [{ type: 'init', init: { ...init, logDir: 3 } }, 'init.logDir: expected a string, got 3'],
    [{ type: 'init', init: { ...init, session: { ...init.session, children: {} } } }, 'init.session.children: expected an array, got object'],
    [{ type: 'init', init: { ...init, session: { ...init.session, maxSeconds: 0 } } }, 'init.session.maxSeconds: expected a positive number, got 0'],
    [
      { type: 'init', init: { ...init, session: { ...init.session, strategy: 'one_for_none', children: [{ ...child, env: { A: 1 }, restart: 'sometimes', args: 'x' }] } } },
      'init.session.children.0.args: expected an array, got string; init.session.children.0.env.A: expected a string, got 1; ' +
        'init.session.children.0.restart: expected one of permanent, transient, temporary, got string; ' +
        'init.session.strategy: expected one of one_for_one, one_for_all, rest_for_one, got string',
    ],
    [{ type: 'init', init: { ...init, session: { ...init.session, children: [{ ...child, file: 7, shutdownMs: 1.5 }] } } }, 'init.session.children.0.file: expected a string, got 7; init.session.children.0.shutdownMs: expected an integer ≥ 0, got 1.5'],
  ])('rejects %j, naming each bad field', (message, expected) => {
    expect(problems(toSupervisor.safeParse(message))).toBe(expected);
  });
});

describe('fromSupervisor', () => {
  test.each([
    [{ type: 'ready', children: [state] }],
    [{ type: 'child', event: 'exited', child: { ...state, pid: null }, restarts: 1, code: null, signal: 'SIGKILL', output: ['bye'] }],
    [{ type: 'child', event: 'spawned', child: { ...state, lastExit: null }, restarts: 0 }],
    [{ type: 'activity', child: 'placeholder', at: 'now' }],
    [{ type: 'gave_up', reason: 'too many' }],
  ])('accepts %j', (message) => {
    expect(problems(fromSupervisor.safeParse(message))).toBeNull();
  });

  test.each([
    [{ type: 'child', event: 'exploded', child: state, restarts: 0 }, 'event: expected one of spawned, waiting, started, exited, restarted, hung, added, stopped, removed, got string'],
    [{ type: 'ready', children: [{ ...state, pid: 1.5, status: 'dead' }] }, 'children.0.pid: expected an integer, got 1.5; children.0.status: expected one of starting, running, restarting, stopping, stopped, got string'],
    [{ type: 'child', event: 'exited', child: state, restarts: 0, output: [1] }, 'output.0: expected a string, got 1'],
  ])('rejects %j', (message, expected) => {
    expect(problems(fromSupervisor.safeParse(message))).toBe(expected);
  });
});

test('optional keys may be missing, never of another type', () => {
  const flags = object({ significant: boolean, note: optional(boolean) });
  expect(flags.safeParse({ significant: false }).success).toBe(true);
  expect(problems(flags.safeParse({ significant: 'yes', note: 1 }))).toBe('significant: expected a boolean, got string; note: expected a boolean, got 1');
});
