import { afterEach, describe, expect, it, vi } from 'vitest';
import { longTimeout, MAX_TIMER_MS } from '../../src/contract/long-timer.js';

const DAY = 86_400_000;
afterEach(() => vi.useRealTimers());

describe('longTimeout', () => {
  it('fires after 30 days, not at once as setTimeout does past 2^31 ms', () => {
    vi.useFakeTimers();
    const fire = vi.fn();
    longTimeout(fire, 30 * DAY);
    vi.advanceTimersByTime(MAX_TIMER_MS + 1);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(29 * DAY - MAX_TIMER_MS);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(DAY);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('a cancelled timer never fires, in any link of its chain', () => {
    vi.useFakeTimers();
    const fire = vi.fn();
    const timer = longTimeout(fire, 60 * DAY);
    vi.advanceTimersByTime(40 * DAY);
    timer.cancel();
    vi.advanceTimersByTime(40 * DAY);
    expect(fire).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a short one is one plain timeout', () => {
    vi.useFakeTimers();
    const fire = vi.fn();
    longTimeout(fire, 10);
    vi.advanceTimersByTime(10);
    expect(fire).toHaveBeenCalledTimes(1);
  });
});
