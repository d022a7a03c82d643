import { afterEach, describe, expect, it } from 'vitest';
import { SessiondError } from '../../src/contract/errors.js';
import { StartGate } from '../../src/manager/start-gate.js';
import { waitFor } from '../helpers/proc.js';
import { Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('starting sessions a few at a time', () => {
  it('StartGate runs at most `limit` steps at once, in order of arrival', async () => {
    const gate = new StartGate(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        gate.run(async () => {
          most = Math.max(most, ++running);
          order.push(n);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('queues creates past the limit (initializing meanwhile), and a queued session terminated never starts', async () => {
    h = new Harness({ concurrentStarts: 1 });
    const creates = ['q1', 'q2', 'q3'].map((id) => h!.manager.createSession({ id }));
    const queued = creates[2]!.catch((error: unknown) => error);
    expect((await h.manager.getSessionInfo('q3')).status).toBe('initializing');
    await h.manager.terminateSession('q3');
    expect(await queued).toSatisfy((e: unknown) => e instanceof SessiondError && e.code === 'start_failed');
    await Promise.all(creates.slice(0, 2));
    for (const id of ['q1', 'q2']) await h.snapshot(id);
    const statuses = Object.fromEntries((await h.manager.listSessions({ all: true })).map((s) => [s.id, s.status]));
    expect(statuses).toEqual({ q1: 'active', q2: 'active', q3: 'terminated' });
    expect((await h.manager.getSessionInfo('q3')).supervisorPid).toBeNull();
    await waitFor(() => h!.events.some((e) => e.session === 'q3' && e.type === 'session.terminated'), 'q3 terminated');
  });
});
