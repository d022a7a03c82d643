import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { expectAllGone, killAll, tempHome } from '../helpers/proc.js';
import { FIXTURES } from './harness.js';

let pids: number[] = [];
const home = tempHome();
afterEach(() => {
  killAll(pids);
  home.cleanup();
});

describe('no orphans', () => {
  it('every session process is gone within 3 s of the manager holder being SIGKILLed', async () => {
    const holder = execa('node', [`${FIXTURES}/manager-holder.mjs`, home.dir, FIXTURES], { reject: false, lines: true, buffer: false });
    pids = await new Promise<number[]>((resolve, reject) => {
      holder.stdout.on('data', (line: Buffer) => resolve(JSON.parse(line.toString()) as number[]));
      void holder.then((r) => reject(new Error(`holder exited early: ${r.stderr}`)));
    });
    // 2 supervisors, 4 children, 2 grandchildren
    expect(pids.length).toBeGreaterThanOrEqual(8);
    holder.kill('SIGKILL');
    const elapsed = await expectAllGone(pids, 3000);
    expect(elapsed).toBeLessThanOrEqual(3000);
  });
});
