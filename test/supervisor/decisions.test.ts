import { describe, expect, it } from 'vitest';
import { childrenToRestart, shouldRestart } from '../../src/supervisor/decisions.js';
import { RestartIntensity } from '../../src/supervisor/intensity.js';

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

describe('RestartIntensity', () => {
  it('allows maxRestarts within maxSeconds and refuses one more', () => {
    const intensity = new RestartIntensity(3, 5);
    expect([0, 1000, 2000].map((t) => intensity.tryRestart(t))).toEqual([true, true, true]);
    expect(intensity.tryRestart(3000)).toBe(false);
  });
  it('forgets restarts older than the period', () => {
    const intensity = new RestartIntensity(3, 5);
    for (const t of [0, 1000, 2000]) intensity.tryRestart(t);
    expect(intensity.tryRestart(5001)).toBe(true);
  });
  it('with maxRestarts 0 refuses the first restart', () => {
    expect(new RestartIntensity(0, 5).tryRestart(0)).toBe(false);
  });
});
