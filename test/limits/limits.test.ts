import { describe, expect, it } from 'vitest';
import { SessiondError } from '../../src/contract/errors.js';
import { parseLimits, validateCpuMax, validateMaxProcesses } from '../../src/limits/limits.js';
import { parseSize } from '../../src/limits/size.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('parseSize', () => {
  it.each([
    ['512M', 512 * MiB],
    ['2G', 2 * GiB],
    ['1.5G', 1.5 * GiB],
    ['1048576', 1048576],
    ['512k', 512 * 1024],
    ['512K', 512 * 1024],
    ['100MiB', 100 * MiB],
    ['64mb', 64 * MiB],
    ['1T', 1024 ** 4],
    [' 8M ', 8 * MiB],
    [1048576, 1048576],
    ['1.5k', 1536],
  ] as const)('%j → %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  it.each([['512Q'], ['0'], [0], ['-1'], [-5], ['M'], [''], ['abc'], ['1e6'], [NaN], [Infinity], [null], [{}], ['0.1'], [0.5], ['5 M B']])(
    'refuses %j with invalid_params naming the field',
    (input) => {
      const error = catchError(() => parseSize(input));
      expect(error).toBeInstanceOf(SessiondError);
      expect(error.code).toBe('invalid_params');
      expect(error.message).toMatch(/^memoryMax .* is not a size/);
    },
  );
});

describe('validateCpuMax', () => {
  it.each([
    [50, 2, 50],
    [200, 2, 200],
    [0.5, 1, 0.5],
    ['75', 2, 75],
  ] as const)('%j on %d cores → %d', (input, cores, expected) => {
    expect(validateCpuMax(input, cores)).toBe(expected);
  });

  it.each([[0], [-10], [201], ['lots'], [NaN], [null], ['50%']])('refuses %j on 2 cores', (input) => {
    const error = catchError(() => validateCpuMax(input, 2));
    expect(error.code).toBe('invalid_params');
    expect(error.message).toContain('at most 200 (100 × 2 cores)');
  });
});

describe('validateMaxProcesses', () => {
  it.each([[1, 1], [64, 64], ['32', 32]] as const)('%j → %d', (input, expected) => {
    expect(validateMaxProcesses(input)).toBe(expected);
  });
  it.each([[0], [-1], [1.5], ['x'], [null]])('refuses %j', (input) => {
    expect(catchError(() => validateMaxProcesses(input)).code).toBe('invalid_params');
  });
});

describe('parseLimits', () => {
  it('fills null for each limit not given', () => {
    expect(parseLimits({}, 2)).toEqual({ memoryMax: null, cpuMax: null, maxProcesses: null });
    expect(parseLimits({ memoryMax: '512M', cpuMax: 50, maxProcesses: 64 }, 2)).toEqual({ memoryMax: 512 * MiB, cpuMax: 50, maxProcesses: 64 });
    expect(parseLimits({ memoryMax: null, cpuMax: undefined }, 2)).toEqual({ memoryMax: null, cpuMax: null, maxProcesses: null });
  });
  it('names the bad limit', () => {
    expect(catchError(() => parseLimits({ memoryMax: '1G', maxProcesses: 0 }, 2)).message).toMatch(/^maxProcesses 0/);
  });
});

function catchError(fn: () => unknown): SessiondError {
  try {
    fn();
  } catch (error) {
    return error as SessiondError;
  }
  throw new Error('expected a throw');
}
