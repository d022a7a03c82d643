import { describe, expect, it } from 'vitest';
import { signalName, toSignal } from '../../src/contract/signals.js';

describe('signal names', () => {
  it.each([
    ['SIGKILL', 'SIGKILL'],
    ['term', 'SIGTERM'],
    ['sigusr1', 'SIGUSR1'],
  ])('%s names %s', (text, signal) => {
    expect(signalName(text)).toBe(signal);
    expect(toSignal(text)).toBe(signal);
  });

  it('a name the OS does not know is a SessiondError, not a TypeError from process.kill', () => {
    expect(signalName('SIGNOPE')).toBeNull();
    expect(() => toSignal('SIGNOPE')).toThrow(expect.objectContaining({ name: 'SessiondError', code: 'invalid_params', message: expect.stringMatching(/unknown signal "SIGNOPE"/) }));
  });
});
