import { afterEach, describe, expect, it } from 'vitest';
import { fixture, Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('idle: no child activity for the idle timeout', () => {
  it('goes idle without activity and back to active on activity', async () => {
    h = new Harness({ heartbeatMs: 100, idleTimeoutMs: 300 });
    const id = await h.create({ children: [{ name: 'worker', file: fixture('activity-on-signal.mjs') }] });
    await h.waitEvent((e) => e.type === 'session.idle', 'session.idle', 3000);
    expect((await h.manager.getSessionInfo(id)).status).toBe('idle');

    process.kill((await h.manager.getSessionInfo(id)).children[0]!.pid!, 'SIGUSR2');
    await h.waitNth(2, (e) => e.type === 'session.active', 'session.active again', 3000);
    expect((await h.manager.getSessionInfo(id)).status).toBe('active');
  });
});
