import { describe, expect, it } from 'vitest';
import { autoShutdownReached } from '../../src/supervisor/auto-shutdown.js';
import { restartDelayMs } from '../../src/supervisor/backoff.js';

describe('autoShutdownReached', () => {
  const sig = (ended: boolean) => ({ significant: true, ended });
  const plain = (ended: boolean) => ({ significant: false, ended });
  it.each([
    ['never', [sig(true)], false],
    ['any_significant', [sig(false), sig(false)], false],
    ['any_significant', [sig(true), sig(false)], true],
    ['all_significant', [sig(true), sig(false)], false],
    ['all_significant', [sig(true), sig(true), plain(false)], true],
    ['any_significant', [plain(true)], false],
    ['all_significant', [plain(true)], false],
  ] as const)('%s with %o → %s', (mode, children, expected) => {
    expect(autoShutdownReached(mode, children)).toBe(expected);
  });
});

describe('restartDelayMs', () => {
  const fixed = { restartDelayMs: 250, backoff: 'none', maxRestartDelayMs: 30_000 } as const;
  const exp = { restartDelayMs: 200, backoff: 'exponential', maxRestartDelayMs: 1000 } as const;
  it('is the fixed delay without backoff, whatever the crashes', () => {
    expect([1, 2, 9].map((n) => restartDelayMs(fixed, n, 0))).toEqual([250, 250, 250]);
  });
  it('doubles on each consecutive crash up to the cap, and falls back once the child ran 30 s', () => {
    expect([1, 2, 3, 4, 5].map((n) => restartDelayMs(exp, n, 10))).toEqual([200, 400, 800, 1000, 1000]);
    expect(restartDelayMs(exp, 5, 30_000)).toBe(200);
  });
  it('starts exponential backoff at 100 ms when no delay is given', () => {
    expect([1, 2, 3].map((n) => restartDelayMs({ ...exp, restartDelayMs: 0 }, n, 0))).toEqual([100, 200, 400]);
  });
});
