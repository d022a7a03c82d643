import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { SessionSpec } from '../../src/contract/spec.js';
import { SESSION_STATUSES, type SessionStatus } from '../../src/contract/vocabulary.js';
import { addChild, restartAll } from '../../src/manager/child-requests.js';
import { ask } from '../../src/manager/session-asks.js';
import type { StopCause } from '../../src/manager/session-machine.js';
import { initialState, step, type Call, type RuntimeInput, type RuntimeState } from '../../src/manager/session-step.js';
import type { ChildEvent } from '../../src/manager/spec-mirror.js';
import { exit, MACHINE_INPUTS, T0 } from './machine-inputs.js';

const NOW = '2026-01-01T00:00:01.000Z';
const child = (name: string) => ({ name, command: 'sleep', args: ['9'], cwd: '/', restart: 'permanent', shutdownMs: 5000, significant: false, restartDelayMs: 0, backoff: 'none', maxRestartDelayMs: 30000 }) as never;
const SPEC = { id: 's1', children: [child('a')], strategy: 'one_for_one' } as unknown as SessionSpec;
const event = (name: string, kind: ChildEvent['event'], restarts = 0): ChildEvent =>
  ({ type: 'child', event: kind, child: { name, pid: 7, status: 'running', restarts: 0, lastExit: null, nextRestartAt: null }, restarts }) as ChildEvent;

const at = (status: SessionStatus, stopping: StopCause | null = null, more: Partial<RuntimeState> = {}): RuntimeState => ({ ...initialState(SPEC, T0), machine: { status, stopping }, ...more });
const kinds = (state: RuntimeState, input: RuntimeInput) => step(state, input, NOW).effects.map((e) => (e.kind === 'emit' ? e.type : e.kind));

const CALLS: Call[] = [{ kind: 'start' }, { kind: 'request', request: restartAll(SPEC, 1000) }, { kind: 'hand_over', message: { type: 'attach' } as never, socket: new Socket() }, { kind: 'pause' }, { kind: 'resume' }];
const INPUTS: RuntimeInput[] = [
  ...CALLS.map((call) => ({ kind: 'call', call }) as const),
  ...MACHINE_INPUTS,
  { kind: 'auto_shutdown', reason: 'x' },
  { kind: 'tick' },
  { kind: 'child', message: event('a', 'restarted', 1) },
  { kind: 'gave_up', reason: 'too many' },
];
const STATES = SESSION_STATUSES.flatMap((status) => [null, { kind: 'requested' } as const].map((stopping) => at(status, stopping)));

describe('session step', () => {
  it('defines every input in every status, stopping or not: never a throw, and an ignored input changes nothing', () => {
    for (const state of STATES) {
      for (const input of INPUTS) {
        const next = step(state, input, NOW);
        if (next.effects.length === 1 && next.effects[0]!.kind === 'debug') expect(next.state).toBe(state);
      }
    }
  });

  it.each(STATES.flatMap((state) => CALLS.map((call) => [state.machine.status, state.machine.stopping !== null, call.kind, state, call] as const)))(
    '%s (stopping: %s) answers a %s call as ask() does: go, a refusal, or nothing',
    (_s, _t, _c, state, call) => {
      const answer = ask(state.machine, call.kind);
      const next = step(state, { kind: 'call', call }, NOW);
      expect(next.effects.map((e) => e.kind)).toEqual(answer.kind === 'go' ? ['go'] : answer.kind === 'refuse' ? ['refuse'] : []);
      expect(next.state.machine).toBe(state.machine);
    },
  );

  it.each([
    [at('initializing'), { kind: 'ready', children: [] }, ['ready', 'settle_start', 'session.active']],
    [at('active'), { kind: 'expired', ms: 5 }, ['session.expired', 'session.terminating', 'stop']],
    [at('active'), { kind: 'terminate' }, ['session.terminating', 'stop']],
    [at('active'), { kind: 'supervisor_exited', exit: exit(null, 'SIGKILL') }, ['stop']],
    [at('active', { kind: 'hung', reason: 'supervisor hung' }, { wasActive: true }), { kind: 'stopped', exit: null }, ['session.crashed', 'children_gone', 'session.terminated', 'settle_start']],
    [at('terminating', { kind: 'requested' }), { kind: 'stopped', exit: exit(0) }, ['children_gone', 'session.terminated', 'settle_start']],
    [at('paused'), { kind: 'tick' }, []],
    [at('active'), { kind: 'tick' }, ['beat']],
    [at('terminated', { kind: 'requested' }), { kind: 'child', message: event('a', 'exited') }, ['debug']],
    [at('terminated', { kind: 'requested' }), { kind: 'gave_up', reason: 'x' }, ['supervisor.gave_up']],
    [at('active'), { kind: 'ready', children: [] }, ['debug']],
  ] as const)('%# %o + %o → %o', (state, input, effects) => {
    expect(kinds(state, input as RuntimeInput)).toEqual(effects);
  });

  it('stamps updatedAt when the status changes or a child reports, never otherwise', () => {
    expect(step(at('active'), { kind: 'activity' }, NOW).state.updatedAt).toBe(T0);
    expect(step(at('active'), { kind: 'quiet' }, NOW).state.updatedAt).toBe(NOW);
    expect(step(at('active'), { kind: 'child', message: event('a', 'restarted', 2) }, NOW).state).toMatchObject({ updatedAt: NOW, mirror: { restarts: 2 } });
  });

  it('ends with the outcome of its cause: error, wasActive and the last word of a supervisor that gave up', () => {
    const ran = step(at('active', null, { wasActive: true }), { kind: 'gave_up', reason: 'restart intensity exceeded: 4 in 5 s' }, NOW).state;
    const stopping = step(ran, { kind: 'supervisor_exited', exit: exit(70) }, NOW).state;
    const end = step(stopping, { kind: 'stopped', exit: exit(70) }, NOW);
    expect(end.state).toMatchObject({ machine: { status: 'terminated' }, error: 'restart intensity exceeded: 4 in 5 s' });
    expect(end.effects).toContainEqual({ kind: 'settle_start', failure: 'restart intensity exceeded: 4 in 5 s' });
    expect(step(end.state, { kind: 'call', call: { kind: 'start' } }, NOW).effects).toEqual([{ kind: 'refuse', code: 'start_failed', why: 'failed to start: restart intensity exceeded: 4 in 5 s' }]);
    const asked = step(at('initializing', { kind: 'auto_shutdown', reason: 'a' }), { kind: 'stopped', exit: null }, NOW).effects;
    expect(asked).toContainEqual({ kind: 'emit', type: 'session.terminated', fields: { error: null, reason: 'auto_shutdown' } });
  });

  it('mirrors an added child once the supervisor reports it, from the spec asked for; a refused add is not remembered', () => {
    const add = { kind: 'call', call: { kind: 'request', request: addChild(SPEC, child('b'), 1000) } } as const;
    expect(step(at('terminating', { kind: 'requested' }), add, NOW).state.mirror.adding.size).toBe(0);
    const asked = step(at('active'), add, NOW).state;
    expect([...asked.mirror.adding.keys()]).toEqual(['b']);
    const added = step(asked, { kind: 'child', message: event('b', 'added') }, NOW).state.mirror;
    expect(added.spec.children.map((c) => c.name)).toEqual(['a', 'b']);
    expect(added.adding.size).toBe(0);
    const held = step({ ...asked, mirror: added }, { kind: 'child', message: event('b', 'stopped') }, NOW).state.mirror.spec;
    expect(held.held).toEqual(['b']);
    const removed = step({ ...asked, mirror: { ...added, spec: held } }, { kind: 'child', message: event('b', 'removed') }, NOW).state.mirror.spec;
    expect(removed).toMatchObject({ children: [{ name: 'a' }], held: [] });
  });
});
