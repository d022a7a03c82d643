// The daemon's view of a session's children follows what its supervisor did (its events), never
// what was only asked: a request that times out while the supervisor still carries it out, or one
// refused, leaves the spec (children, holds) as the supervisor has it, and a resurrection with it.
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, Harness } from './harness.js';
import { waitFor } from '../helpers/proc.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the children mirror', { timeout: 60_000 }, () => {
  it('a child added after its add timed out shows in info and comes back on resurrection', async () => {
    h = new Harness({ startTimeoutMs: 2000, warmSupervisors: 0 });
    const m = h.manager;
    const id = await h.create({ id: 'slow-queue', children: [{ name: 'stubborn', file: fixture('ignore-sigterm.mjs'), shutdownMs: 4000 }] });
    // The stop keeps the supervisor's queue busy 4 s; the add behind it times out on the daemon's side at 3 s.
    const stopping = m.stopChild(id, 'stubborn');
    await expect(m.addChild(id, { name: 'late', file: fixture('agent.mjs') })).rejects.toMatchObject({ code: 'timeout' });
    await stopping;
    const info = await waitFor(async () => {
      const s = await m.getSessionInfo(id);
      return s.children.find((c) => c.name === 'late' && c.status === 'running') ? s : null;
    }, 'the late child in info');
    expect(info.children.map((c) => [c.name, c.status])).toEqual([['stubborn', 'stopped'], ['late', 'running']]);
    await h.snapshot(id);
    const record = m.record(id);
    expect(record.spec.children.map((c) => c.name)).toEqual(['stubborn', 'late']);
    expect(record.spec.held).toEqual(['stubborn']);
    await m.terminateSession(id);
    await m.resurrectSession(record);
    const back = await m.getSessionInfo(id);
    expect(back.children.map((c) => [c.name, c.status])).toEqual([['stubborn', 'stopped'], ['late', 'running']]);
    await h.snapshot(id);
  });

  it('a restart that is refused leaves the child held as it was', async () => {
    h = new Harness({ warmSupervisors: 0 });
    const m = h.manager;
    const id = await h.create({ id: 'held-fast', children: [{ name: 'a', file: fixture('agent.mjs') }] });
    await m.stopChild(id, 'a');
    expect(m.record(id).spec.held).toEqual(['a']);
    // Refused: the session is terminating by the time the request would be made.
    const ending = m.terminateSession(id);
    await expect(m.restartChild(id, 'a')).rejects.toMatchObject({ code: 'not_running' });
    await ending;
    expect(m.record(id).spec.held).toEqual(['a']);
  });
});
