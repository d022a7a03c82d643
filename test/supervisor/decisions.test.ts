import { describe, expect, it } from 'vitest';
import { childrenToRestart, shouldRestart } from '../../src/supervisor/decisions.js';
import { recordRestart } from '../../src/supervisor/intensity.js';

describe('shouldRestart', () => {
  const normal = { code: 0, signal: null };
  const failed = { code: 3, signal: null };
  const killed = { code: null, signal: 'SIGKILL' };

  it.each([
    ['permanent', normal, true],
    ['permanent', failed, true],
    ['permanent', killed, true],
    ['transient', normal, false],
    ['transient', failed, true],
    ['transient', killed, true],
    ['temporary', normal, false],
    ['temporary', failed, false],
    ['temporary', killed, false],
  ] as const)('%s after %o → %s', (type, exit, expected) => {
    expect(shouldRestart(type, exit)).toBe(expected);
  });
});

describe('childrenToRestart', () => {
  const order = ['a', 'b', 'c'];
  it('one_for_one restarts the failed child alone', () => {
    expect(childrenToRestart('one_for_one', order, 'b')).toEqual(['b']);
  });
  it('one_for_all restarts every child in start order', () => {
    expect(childrenToRestart('one_for_all', order, 'b')).toEqual(['a', 'b', 'c']);
  });
  it('rest_for_one restarts the failed child and those started after it', () => {
    expect(childrenToRestart('rest_for_one', order, 'b')).toEqual(['b', 'c']);
    expect(childrenToRestart('rest_for_one', order, 'c')).toEqual(['c']);
  });
});

describe('recordRestart', () => {
  const limits = { maxRestarts: 3, maxSeconds: 5 };
  // Each restart in turn, the times of one kept for the next.
  const replay = (at: readonly number[], max = limits) => {
    let times: number[] = [];
    return at.map((t) => {
      const counted = recordRestart(times, t, max);
      times = counted.times;
      return counted.allowed;
    });
  };
  it('allows maxRestarts within maxSeconds and refuses one more', () => {
    expect(replay([0, 1000, 2000, 3000])).toEqual([true, true, true, false]);
  });
  it('forgets restarts older than the period', () => {
    expect(replay([0, 1000, 2000, 5001])).toEqual([true, true, true, true]);
  });
  it('with maxRestarts 0 refuses the first restart', () => {
    expect(replay([0], { maxRestarts: 0, maxSeconds: 5 })).toEqual([false]);
  });
});
