import { describe, expect, it } from 'vitest';
import { SESSION_STATUSES, type SessionStatus } from '../../src/contract/vocabulary.js';
import { outcome, transition as step, type MachineState, type StopCause } from '../../src/manager/session-machine.js';
import { exit, MACHINE_INPUTS } from './machine-inputs.js';

const INPUTS = MACHINE_INPUTS;
const at = (status: SessionStatus, stopping: StopCause | null = null): MachineState => ({ status, stopping });

describe('session status machine (transition)', () => {
  it('defines every input in every status, stopping or not: it never throws', () => {
    for (const status of SESSION_STATUSES) {
      for (const stopping of [null, { kind: 'requested' } as const]) {
        for (const input of INPUTS) expect(() => step(at(status, stopping), input)).not.toThrow();
      }
    }
  });

  it.each([
    ['initializing', { kind: 'ready', children: [] }, 'active', 'session.active', undefined],
    ['active', { kind: 'quiet' }, 'idle', 'session.idle', undefined],
    ['idle', { kind: 'activity' }, 'active', 'session.active', undefined],
    ['active', { kind: 'activity' }, 'active', undefined, undefined],
    ['active', { kind: 'terminate' }, 'terminating', 'session.terminating', 'requested'],
    ['initializing', { kind: 'terminate' }, 'terminating', 'session.terminating', 'requested'],
    ['initializing', { kind: 'start_failed', reason: 'x' }, 'initializing', undefined, 'start_failed'],
    ['idle', { kind: 'hung', reason: 'x' }, 'idle', undefined, 'hung'],
    ['active', { kind: 'supervisor_exited', exit: exit(1) }, 'active', undefined, 'supervisor_exited'],
    ['active', { kind: 'fault', reason: 'x' }, 'terminating', 'session.terminating', 'fault'],
    ['active', { kind: 'paused' }, 'paused', 'session.paused', undefined],
    ['idle', { kind: 'paused' }, 'paused', 'session.paused', undefined],
    ['paused', { kind: 'paused' }, 'paused', undefined, undefined],
    ['active', { kind: 'resumed' }, 'active', undefined, undefined],
    ['paused', { kind: 'quiet' }, 'paused', undefined, undefined],
    ['paused', { kind: 'terminate' }, 'terminating', 'session.terminating', 'requested'],
    ['initializing', { kind: 'expired', ms: 5 }, 'terminating', 'session.terminating', 'expired'],
    ['paused', { kind: 'expired', ms: 5 }, 'terminating', 'session.terminating', 'expired'],
    ['idle', { kind: 'idle_timeout', ms: 5 }, 'terminating', 'session.terminating', 'idle_timeout'],
  ] as const)('%s + %o → %s', (from, input, to, emit, stop) => {
    const next = step(at(from), input);
    expect(next.state.status).toBe(to);
    expect(next.emit).toBe(emit);
    expect(next.stop?.kind).toBe(stop);
    expect(next.ignored).toBeUndefined();
  });

  it('ignores what comes late: a ready, a start failure or activity once stopping, anything once terminated', () => {
    for (const input of INPUTS.filter((i) => i.kind !== 'stopped')) {
      expect(step(at('terminating', { kind: 'requested' }), input).ignored).toMatch(/stopping/);
      expect(step(at('terminated', { kind: 'requested' }), input).ignored).toMatch(/terminated/);
    }
    expect(step(at('active'), { kind: 'ready', children: [] }).ignored).toMatch(/ready ignored/);
    expect(step(at('active'), { kind: 'start_failed', reason: 'late' }).ignored).toBeDefined();
    expect(step(at('initializing'), { kind: 'paused' }).ignored).toMatch(/initializing/);
    expect(step(at('initializing'), { kind: 'idle_timeout', ms: 5 }).ignored).toBeDefined();
  });

  it('a resume goes back to the status the pause left', () => {
    for (const from of ['active', 'idle'] as const) {
      const paused = step(at(from), { kind: 'paused' }).state;
      expect(step(paused, { kind: 'resumed' })).toEqual({ state: at(from), emit: 'session.resumed' });
    }
  });

  it('a second stop never begins while one runs; the end of the stop is terminated', () => {
    const stopping = at('active', { kind: 'supervisor_exited', exit: exit(1) });
    expect(step(stopping, { kind: 'terminate' }).stop).toBeUndefined();
    expect(step(stopping, { kind: 'stopped', exit: null }).state.status).toBe('terminated');
  });

  it('words the end from the cause and the supervisor exit code', () => {
    expect(outcome({ kind: 'requested' }, true, null)).toEqual({ error: null, crashed: false });
    expect(outcome({ kind: 'fault', reason: 'boom' }, true, null)).toEqual({ error: 'internal error: boom', crashed: false });
    expect(outcome({ kind: 'supervisor_exited', exit: exit(70) }, true, 'restart intensity exceeded: 4 in 5 s')).toEqual({
      error: 'restart intensity exceeded: 4 in 5 s',
      crashed: false,
    });
    expect(outcome({ kind: 'supervisor_exited', exit: exit(70) }, true, null).error).toBe('restart intensity exceeded');
    expect(outcome({ kind: 'supervisor_exited', exit: exit(null, 'SIGKILL') }, true, null)).toEqual({ error: 'supervisor crashed: signal SIGKILL', crashed: true });
    expect(outcome({ kind: 'supervisor_exited', exit: exit(3) }, false, null)).toEqual({ error: 'supervisor crashed: exit code 3', crashed: false });
    expect(outcome({ kind: 'hung', reason: 'supervisor hung: no pong' }, true, null)).toEqual({ error: 'supervisor hung: no pong', crashed: true });
    expect(outcome({ kind: 'expired', ms: 2000 }, true, null)).toEqual({ error: 'ttl expired after 2000 ms', crashed: false });
    expect(outcome({ kind: 'idle_timeout', ms: 900 }, true, null)).toEqual({ error: 'idle for 900 ms', crashed: false });
  });
});
