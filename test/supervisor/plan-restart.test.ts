import { describe, expect, it } from 'vitest';
import type { ChildSpec } from '../../src/contract/spec.js';
import { planRestart, type PlanChild, type PlanSupervisor } from '../../src/supervisor/plan-restart.js';

type Spec = PlanChild['spec'];
const child = (name: string, facts: Partial<Omit<PlanChild, 'spec'>> = {}, spec: Partial<Spec> = {}): PlanChild => ({
  spec: { name, restart: 'permanent', significant: false, restartDelayMs: 0, backoff: 'none', maxRestartDelayMs: 30_000, ...spec } as Pick<ChildSpec, keyof Spec>,
  held: false,
  ended: false,
  running: true,
  crashes: 0,
  ranMs: 1000,
  ...facts,
});
const supervisor = (policy: Partial<PlanSupervisor['policy']> = {}, rest: Partial<Omit<PlanSupervisor, 'policy'>> = {}): PlanSupervisor => ({
  policy: { strategy: 'one_for_one', autoShutdown: 'never', maxRestarts: 3, maxSeconds: 5, ...policy },
  running: true,
  restartTimes: [],
  nowMs: 10_000,
  ...rest,
});
const crash = { code: 1, signal: null, at: '2026-12-06T00:00:00.000Z' };
const normal = { ...crash, code: 0 };
// The exited child is `b`, not running any more.
const abc = (b: Partial<Omit<PlanChild, 'spec'>> = {}, bSpec: Partial<Spec> = {}, others: Partial<Omit<PlanChild, 'spec'>> = {}) => [
  child('a', others),
  child('b', { running: false, ...b }, bSpec),
  child('c', others),
];

describe('planRestart', () => {
  it.each([
    ['not running (starting or stopping): nothing', abc(), crash, supervisor({}, { running: false }), { kind: 'none' }],
    ['stopped on request: nothing', abc({ held: true }), crash, supervisor(), { kind: 'none' }],
    ['one_for_one: the child alone, at once', abc(), crash, supervisor(), { kind: 'restart', stop: [], start: ['b'], delayMs: 0, crashes: 1, restartTimes: [10_000] }],
    ['one_for_all: the others stopped in reverse order, all started in order', abc(), crash, supervisor({ strategy: 'one_for_all' }), { kind: 'restart', stop: ['c', 'a'], start: ['a', 'b', 'c'] }],
    ['rest_for_one: those after it', abc(), crash, supervisor({ strategy: 'rest_for_one' }), { kind: 'restart', stop: ['c'], start: ['b', 'c'] }],
    ['one_for_all leaves a held sibling alone', [child('a', { held: true, running: false }), child('b', { running: false }), child('c')], crash, supervisor({ strategy: 'one_for_all' }), { kind: 'restart', stop: ['c'], start: ['b', 'c'] }],
    ['one_for_all stops a temporary sibling and does not start it', [child('a', {}, { restart: 'temporary' }), child('b', { running: false }), child('c')], crash, supervisor({ strategy: 'one_for_all' }), { kind: 'restart', stop: ['c', 'a'], start: ['b', 'c'] }],
    ['transient after a normal exit: ended', abc({}, { restart: 'transient' }), normal, supervisor(), { kind: 'end', significant: false, autoShutdown: null }],
    ['transient after a crash: restarted', abc({}, { restart: 'transient' }), crash, supervisor(), { kind: 'restart', start: ['b'] }],
    ['temporary: never restarted', abc({}, { restart: 'temporary' }), crash, supervisor(), { kind: 'end', significant: false }],
    ['any_significant: a significant child that ended ends the session', abc({}, { restart: 'transient', significant: true }), normal, supervisor({ autoShutdown: 'any_significant' }), { kind: 'end', significant: true, autoShutdown: 'significant child b ended (exit code 0)' }],
    ['all_significant: not while another significant one runs', [child('a', {}, { restart: 'transient', significant: true }), child('b', { running: false }, { restart: 'transient', significant: true })], normal, supervisor({ autoShutdown: 'all_significant' }), { kind: 'end', significant: true, autoShutdown: null }],
    ['all_significant: once the last has ended', [child('a', { ended: true, running: false }, { restart: 'transient', significant: true }), child('b', { running: false }, { restart: 'transient', significant: true })], normal, supervisor({ autoShutdown: 'all_significant' }), { kind: 'end', significant: true, autoShutdown: 'significant child b ended (exit code 0)' }],
    ['never: a significant child ends alone', abc({}, { restart: 'temporary', significant: true }), crash, supervisor(), { kind: 'end', significant: true, autoShutdown: null }],
    ['intensity: the restart past maxRestarts within maxSeconds gives up', abc(), crash, supervisor({}, { restartTimes: [6000, 7000, 8000] }), { kind: 'give_up', reason: 'restart intensity exceeded: more than 3 restarts within 5 s (last: child b exit code 1)' }],
    ['intensity: restarts older than maxSeconds are forgotten', abc(), crash, supervisor({}, { restartTimes: [4000, 7000, 8000] }), { kind: 'restart', restartTimes: [7000, 8000, 10_000] }],
    ['maxRestarts 0: the first crash gives up', abc(), crash, supervisor({ maxRestarts: 0 }), { kind: 'give_up' }],
    ['restartDelayMs: waited out', abc({}, { restartDelayMs: 500 }), crash, supervisor(), { kind: 'restart', delayMs: 500 }],
    ['exponential backoff doubles on each consecutive crash', abc({ crashes: 2 }, { backoff: 'exponential', restartDelayMs: 100 }), crash, supervisor(), { kind: 'restart', delayMs: 400, crashes: 3 }],
    ['exponential backoff stops at maxRestartDelayMs', abc({ crashes: 9 }, { backoff: 'exponential', restartDelayMs: 100, maxRestartDelayMs: 5000 }), crash, supervisor(), { kind: 'restart', delayMs: 5000 }],
    ['a child that ran 30 s starts its backoff over', abc({ crashes: 9, ranMs: 30_000 }, { backoff: 'exponential', restartDelayMs: 100 }), crash, supervisor(), { kind: 'restart', delayMs: 100, crashes: 1 }],
  ] as const)('%s', (_what, children, exit, sup, expected) => {
    expect(planRestart(children, { name: 'b', exit }, sup)).toMatchObject(expected);
  });

  it('is pure: the restart times given are not changed', () => {
    const restartTimes = [8000];
    planRestart(abc(), { name: 'b', exit: crash }, supervisor({}, { restartTimes }));
    expect(restartTimes).toEqual([8000]);
  });
});
