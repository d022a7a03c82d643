import { expect, it } from 'vitest';
import { SESSION_STATUSES, type SessionStatus } from '../../src/contract/vocabulary.js';
import { ask, type Question } from '../../src/manager/session-asks.js';
import type { StopCause } from '../../src/manager/session-machine.js';

const QUESTIONS: Question[] = ['start', 'request', 'hand_over', 'pause', 'resume', 'tick', 'child_event'];
const STOPPING: StopCause = { kind: 'requested' };

// Every status × stopping × question, with the answer the runtime acts on (g: go, s: skip, or the refusal's code).
const short = (status: SessionStatus, stopping: boolean, q: Question) => {
  const a = ask({ status, stopping: stopping ? STOPPING : null }, q);
  return a.kind === 'go' ? 'g' : a.kind === 'skip' ? 's' : a.code;
};

it.each(SESSION_STATUSES.flatMap((status) => [false, true].map((stopping) => [status, stopping] as const)))('%s (stopping: %s) answers every question', (status, stopping) => {
  const answers = Object.fromEntries(QUESTIONS.map((q) => [q, short(status, stopping, q)]));
  const running = !stopping && (status === 'active' || status === 'idle');
  expect(answers).toEqual({
    start: status === 'initializing' && !stopping ? 'g' : 'start_failed',
    request: running ? 'g' : 'not_running',
    hand_over: ['active', 'idle', 'paused'].includes(status) ? 'g' : 'not_running',
    pause: status === 'paused' ? 's' : running ? 'g' : 'not_supported',
    resume: status === 'terminated' ? 'not_supported' : status === 'paused' && !stopping ? 'g' : 's',
    tick: status === 'paused' ? 's' : 'g',
    child_event: status === 'terminated' ? 's' : 'g',
  });
});

it('words a refusal so that the runtime only puts the session id in front', () => {
  expect(ask({ status: 'terminating', stopping: STOPPING }, 'request')).toEqual({ kind: 'refuse', code: 'not_running', why: 'is terminating: its children cannot be changed or sent to' });
  expect(ask({ status: 'initializing', stopping: null }, 'pause')).toEqual({ kind: 'refuse', code: 'not_supported', why: 'is initializing: only an active or idle session can be paused' });
  expect(ask({ status: 'terminated', stopping: STOPPING }, 'resume')).toEqual({ kind: 'refuse', code: 'not_supported', why: 'is terminated: there is nothing to resume' });
});
