import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/proc.js';
import { fixture, Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const crasher = (fields: Record<string, unknown>) => ({ name: 'worker', file: fixture('exit-on-signal.mjs'), ...fields });

describe('restart delay and backoff', { timeout: 60_000 }, () => {
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
    const id = await h.create({ maxRestarts: 10, maxSeconds: 60, children: [crasher({ restartDelayMs: 1000, backoff: 'exponential', maxRestartDelayMs: 4000 })] });
    const delays: number[] = [];
    for (let crash = 1; crash <= 4; crash++) {
      await h.snapshot(id);
      const pid = (await m.getSessionInfo(id)).children[0]!.pid!;
      process.kill(pid, 'SIGUSR1');
      // The delay as the supervisor set it, from the exit it saw to the restart it planned; in whole seconds, so a loaded machine's latency between the two does not count.
      const child = await waitFor(async () => {
        const info = (await m.getSessionInfo(id)).children[0]!;
        return info.nextRestartAt && info.lastExit ? { next: info.nextRestartAt, exited: info.lastExit.at } : null;
      }, `delay ${crash}`);
      delays.push(Math.round((Date.parse(child.next) - Date.parse(child.exited)) / 1000) * 1000);
      await h.waitNth(crash, (e) => e.type === 'child.restarted', `restart ${crash}`);
    }
    expect(delays).toEqual([1000, 2000, 4000, 4000]);
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
