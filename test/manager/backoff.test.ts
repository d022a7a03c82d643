import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/proc.js';
import { fixture, Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const crasher = (fields: Record<string, unknown>) => ({ name: 'worker', file: fixture('exit-on-signal.mjs'), ...fields });

describe('restart delay and backoff', () => {
  it('a crashed child waits out its delay, restarting with nextRestartAt, then runs again', async () => {
    h = new Harness();
    const m = h.manager;
    const id = await h.create({ children: [crasher({ restartDelayMs: 1500 })] });
    await h.snapshot(id);
    const crashedAt = Date.now();
    process.kill((await m.getSessionInfo(id)).children[0]!.pid!, 'SIGUSR1');
    const waiting = await waitFor(async () => {
      const child = (await m.getSessionInfo(id)).children[0]!;
      return child.status === 'restarting' && child.nextRestartAt ? child : null;
    }, 'the child to wait out its delay');
    expect(waiting.pid).toBeNull();
    expect(Date.parse(waiting.nextRestartAt!)).toBeGreaterThanOrEqual(crashedAt + 1400);
    const restarted = await h.waitEvent((e) => e.type === 'child.restarted', 'the restart');
    expect(Date.parse(restarted.at)).toBeGreaterThanOrEqual(Date.parse(waiting.nextRestartAt!) - 50);
    const child = (await m.getSessionInfo(id)).children[0]!;
    expect(child).toMatchObject({ status: 'running', nextRestartAt: null });
    await h.snapshot(id);
  });

  it('exponential backoff doubles the delay on each consecutive crash, up to its cap', async () => {
    h = new Harness();
    const m = h.manager;
    const id = await h.create({ maxRestarts: 10, maxSeconds: 60, children: [crasher({ restartDelayMs: 100, backoff: 'exponential', maxRestartDelayMs: 400 })] });
    const delays: number[] = [];
    for (let crash = 1; crash <= 4; crash++) {
      await h.snapshot(id);
      const pid = (await m.getSessionInfo(id)).children[0]!.pid!;
      const at = Date.now();
      process.kill(pid, 'SIGUSR1');
      const next = await waitFor(async () => (await m.getSessionInfo(id)).children[0]!.nextRestartAt, `delay ${crash}`);
      delays.push(Math.round((Date.parse(next) - at) / 100) * 100);
      await h.waitNth(crash, (e) => e.type === 'child.restarted', `restart ${crash}`);
    }
    expect(delays).toEqual([100, 200, 400, 400]);
  });

  it('a terminate during the delay cancels the restart at once', async () => {
    h = new Harness();
    const m = h.manager;
    const id = await h.create({ children: [crasher({ restartDelayMs: 60_000 })] });
    await h.snapshot(id);
    process.kill((await m.getSessionInfo(id)).children[0]!.pid!, 'SIGUSR1');
    await waitFor(async () => (await m.getSessionInfo(id)).children[0]!.status === 'restarting', 'the delay');
    const started = Date.now();
    await m.terminateSession(id);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(h.events.some((e) => e.type === 'child.restarted')).toBe(false);
    expect((await m.getSessionInfo(id)).children[0]).toMatchObject({ status: 'stopped', nextRestartAt: null });
  });
});
