import { afterEach, describe, expect, it } from 'vitest';
import { killUid } from '../../src/isolation/uid-sweep.js';
import { isRunning } from '../../src/process/proc.js';
import type { Spawned } from '../../src/process/spawn.js';
import { expectAllGone, killAll } from '../helpers/proc.js';
import { loneThread } from '../process/shell.js';

// A uid no session of a parallel test file gets (they take theirs from the default range), nor anyone else.
const UID = 3_900_000_000 + (process.pid % 1_000_000);
let proc: Spawned | undefined;

afterEach(async () => {
  if (!proc) return;
  killAll([proc.pid]);
  await expectAllGone([proc.pid]);
  proc = undefined;
});

describe('killUid', () => {
  it('refuses root', () => {
    expect(() => killUid(0)).toThrow(/refusing/);
  });

  // Code in a session can end its main thread and run on in another: /proc shows it a zombie.
  it('kills a process of the uid whose main thread exited alone', async () => {
    if (process.getuid?.() !== 0) throw new Error('this test runs a process as another uid: run it as root (sudo npm test), as CI does');
    proc = await loneThread({ uid: UID });
    expect(isRunning(proc.pid)).toBe(true);
    expect(killUid(UID)).toBe(1);
    await expectAllGone([proc.pid]);
  });
});
