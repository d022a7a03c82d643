import { afterEach, describe, expect, it } from 'vitest';
import { expectAllGone, isRunning, waitFor } from '../helpers/proc.js';
import { fixture, Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('crashes: exit codes and signals are the crash signal', () => {
  it('replaces a SIGKILLed Placeholder with a new process, the session staying active', async () => {
    h = new Harness();
    const id = await h.create();
    const before = await h.manager.getSessionInfo(id);
    const oldPid = before.children[0]!.pid!;
    expect(before.children[0]!.name).toBe('placeholder');

    h.manager.kill(id, { child: 'placeholder' });
    await h.waitEvent((e) => e.type === 'child.restarted', 'child.restarted', 3000);

    const after = await h.manager.getSessionInfo(id);
    const child = after.children[0]!;
    expect(after.status).toBe('active');
    expect(child.pid).not.toBe(oldPid);
    expect(isRunning(child.pid!)).toBe(true);
    expect(isRunning(oldPid)).toBe(false);
    expect(child.restarts).toBe(1);
    expect(child.status).toBe('running');
    expect(child.lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
    await h.snapshot(id);
  });

  it.each([
    ['permanent', 0, true],
    ['permanent', 3, true],
    ['transient', 0, false],
    ['transient', 3, true],
    ['temporary', 0, false],
    ['temporary', 3, false],
  ] as const)('a %s child exiting with code %i is restarted: %s', async (restart, code, restarted) => {
    h = new Harness();
    const id = await h.create({
      children: [{ name: 'worker', file: fixture('exit-on-signal.mjs'), env: { EXIT_CODE: String(code) }, restart }],
    });
    const pid = h.manager.getSessionPid(id) as number;
    const childPid = (await h.manager.getSessionInfo(id)).children[0]!.pid!;
    process.kill(childPid, 'SIGUSR1');
    const exited = await h.waitEvent((e) => e.type === 'child.exited', 'child.exited');
    expect(exited).toMatchObject({ child: 'worker', code, signal: null });

    if (restarted) {
      await h.waitEvent((e) => e.type === 'child.restarted', 'child.restarted', 3000);
      const child = (await h.manager.getSessionInfo(id)).children[0]!;
      expect(child).toMatchObject({ status: 'running', restarts: 1, lastExit: { code, signal: null } });
      expect(child.pid).not.toBe(childPid);
      await h.snapshot(id);
    } else {
      const info = await h.manager.getSessionInfo(id);
      expect(info.children[0]).toMatchObject({ status: 'stopped', pid: null, restarts: 0, lastExit: { code } });
      expect(info.status).toBe('active');
      expect(h.events.some((e) => e.type === 'child.restarted')).toBe(false);
    }
    expect(isRunning(pid)).toBe(true);
  });

  it('terminates the session once restart intensity is exceeded, leaving nothing', async () => {
    h = new Harness();
    const id = await h.create({ maxRestarts: 2, maxSeconds: 30 });
    for (let n = 1; n <= 3; n++) {
      const pid = await waitFor(async () => {
        const child = (await h.manager.getSessionInfo(id)).children[0]!;
        return child.status === 'running' ? child.pid : null;
      }, `placeholder run ${n}`);
      h.seen.add(pid);
      h.manager.kill(id, { child: 'placeholder' });
      await h.waitNth(n, (e) => e.type === 'child.exited', `exit ${n}`);
    }
    const gaveUp = await h.waitEvent((e) => e.type === 'supervisor.gave_up', 'supervisor.gave_up');
    await h.waitEvent((e) => e.type === 'session.terminated', 'session.terminated');
    const info = await h.manager.getSessionInfo(id);
    expect(info.status).toBe('terminated');
    expect(info.error).toMatch(/^restart intensity exceeded: /);
    expect(gaveUp.reason).toBe(info.error);
    expect(info.supervisorPid).toBeNull();
    await expectAllGone([...h.seen], 2000);
  });

  it('ends the session with the crash error when its supervisor is SIGKILLed; its children go within 2 s', async () => {
    h = new Harness();
    const id = await h.create({
      children: [
        { name: 'placeholder', file: fixture('../../dist/children/placeholder.js') },
        { name: 'stubborn', file: fixture('ignore-sigterm.mjs') },
        { name: 'sleeper', command: 'sleep', args: ['1000'] },
      ],
    });
    const pids = await h.snapshot(id);
    expect(pids.length).toBeGreaterThanOrEqual(4);
    h.manager.kill(id, {}, 'SIGKILL');
    await h.waitEvent((e) => e.type === 'session.terminated', 'session.terminated');
    const info = await h.manager.getSessionInfo(id);
    expect(info.status).toBe('terminated');
    expect(info.error).toBe('supervisor crashed: signal SIGKILL');
    expect(h.events.find((e) => e.type === 'session.crashed')).toMatchObject({ signal: 'SIGKILL' });
    await expectAllGone(pids, 2000);
  });

  it('replaces a hung (SIGSTOPped) child, reporting child.hung', async () => {
    h = new Harness({ heartbeatMs: 200 });
    const id = await h.create();
    const pid = (await h.manager.getSessionInfo(id)).children[0]!.pid!;
    process.kill(pid, 'SIGSTOP');
    await h.waitEvent((e) => e.type === 'child.hung', 'child.hung', 3000);
    await h.waitEvent((e) => e.type === 'child.restarted', 'child.restarted', 3000);
    const child = (await h.manager.getSessionInfo(id)).children[0]!;
    expect(child.pid).not.toBe(pid);
    expect(child.lastExit).toMatchObject({ signal: 'SIGKILL' });
    await h.snapshot(id);
  });

  it("a hung child's child.exited and its lastExit say reason hung", async () => {
    h = new Harness({ heartbeatMs: 200 });
    const id = await h.create();
    const pid = (await h.manager.getSessionInfo(id)).children[0]!.pid!;
    process.kill(pid, 'SIGSTOP');
    const exited = await h.waitEvent((e) => e.type === 'child.exited', 'child.exited', 5000);
    expect(exited).toMatchObject({ child: 'placeholder', signal: 'SIGKILL', reason: 'hung' });
    await h.waitEvent((e) => e.type === 'child.restarted', 'child.restarted', 3000);
    expect((await h.manager.getSessionInfo(id)).children[0]!.lastExit).toMatchObject({ signal: 'SIGKILL', reason: 'hung' });
    await h.snapshot(id);
  });

  it('ends the session with "supervisor hung" when its supervisor stops answering, and leaves nothing', async () => {
    h = new Harness({ heartbeatMs: 200 });
    const id = await h.create({ children: [{ name: 'placeholder', file: fixture('../../dist/children/placeholder.js') }, { name: 'sleeper', command: 'sleep', args: ['1000'] }] });
    const pids = await h.snapshot(id);
    process.kill(h.manager.getSessionPid(id) as number, 'SIGSTOP');
    await h.waitEvent((e) => e.type === 'session.terminated', 'session.terminated', 5000);
    const info = await h.manager.getSessionInfo(id);
    expect(info.error).toMatch(/^supervisor hung: /);
    expect(h.events.find((e) => e.type === 'session.crashed')).toMatchObject({ reason: info.error });
    await expectAllGone(pids, 2000);
  });
});
