import { afterEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { isRunning, waitFor } from '../helpers/proc.js';
import { fixture, Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

const pidsOf = (info: SessionInfo) => Object.fromEntries(info.children.map((c) => [c.name, c.pid]));
const allRunning = async (id: string) => {
  const info = await h.manager.getSessionInfo(id);
  return info.children.every((c) => c.status === 'running') ? info : null;
};

async function crashMiddle(strategy: 'one_for_one' | 'one_for_all' | 'rest_for_one') {
  h = new Harness();
  const id = await h.create({ strategy, children: ['a', 'b', 'c'].map((name) => ({ name, file: fixture('exit-on-signal.mjs') })) });
  const before = pidsOf(await h.manager.getSessionInfo(id));
  h.manager.kill(id, { child: 'b' });
  await h.waitEvent((e) => e.type === 'child.restarted' && e.child === 'b', 'b restarted');
  const info = await waitFor(() => allRunning(id), 'every child running');
  await h.snapshot(id);
  return { before, after: pidsOf(info), info };
}

describe('strategies restart exactly the right children', () => {
  it('one_for_one: only the crashed child', async () => {
    const { before, after, info } = await crashMiddle('one_for_one');
    expect(after.a).toBe(before.a);
    expect(after.b).not.toBe(before.b);
    expect(after.c).toBe(before.c);
    expect(info.restarts).toBe(1);
  });

  it('one_for_all: every child, the others stopped first', async () => {
    const { before, after, info } = await crashMiddle('one_for_all');
    for (const name of ['a', 'b', 'c']) {
      expect(after[name]).not.toBe(before[name]);
      expect(isRunning(before[name]!)).toBe(false);
    }
    expect(info.restarts).toBe(1);
    expect(info.children.map((c) => c.restarts)).toEqual([1, 1, 1]);
  });

  it('rest_for_one: the crashed child and those started after it', async () => {
    const { before, after, info } = await crashMiddle('rest_for_one');
    expect(after.a).toBe(before.a);
    expect(after.b).not.toBe(before.b);
    expect(after.c).not.toBe(before.c);
    expect(isRunning(before.c!)).toBe(false);
    expect(info.restarts).toBe(1);
  });

  it('one_for_all never restarts a temporary sibling', async () => {
    h = new Harness();
    const id = await h.create({
      strategy: 'one_for_all',
      children: [
        { name: 'a', file: fixture('exit-on-signal.mjs') },
        { name: 'tmp', file: fixture('exit-on-signal.mjs'), restart: 'temporary' },
      ],
    });
    h.manager.kill(id, { child: 'a' });
    await h.waitEvent((e) => e.type === 'child.restarted' && e.child === 'a', 'a restarted');
    const info = await h.manager.getSessionInfo(id);
    expect(info.children.find((c) => c.name === 'tmp')).toMatchObject({ status: 'stopped', pid: null });
    await h.snapshot(id);
  });
});
