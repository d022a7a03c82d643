// A child's lastExit says why sessiond ended it (memory, hung), in info --json and the human info.
import { afterEach, describe, expect, it } from 'vitest';
import { sessionDetails } from '../../src/cli/format.js';
import { waitFor } from '../helpers/proc.js';
import { limitsFixture, MiB } from './bounds-harness.js';
import { Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('lastExit.reason', { timeout: 30_000 }, () => {
  it('a child the watchdog killed for memory has lastExit.reason memory, kept across its restart', async () => {
    h = new Harness({ warmSupervisors: 0 });
    const id = await h.create({ id: 'greedy', memoryMax: 200 * MiB, maxRestarts: 100, children: [{ name: 'alloc', file: limitsFixture('alloc.mjs') }] });
    await h.waitEvent((e) => e.session === id && e.type === 'child.restarted', 'the restart after the memory kill');
    const info = await waitFor(async () => {
      const s = await h!.manager.getSessionInfo(id);
      return s.children[0]?.lastExit ? s : null;
    }, 'a lastExit');
    expect(info.children[0]!.lastExit).toMatchObject({ signal: 'SIGKILL', reason: 'memory' });
    expect(sessionDetails(info)).toMatch(/alloc .*signal SIGKILL \(memory\)/);
    await h.snapshot(id);
  });
});
