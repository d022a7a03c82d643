import { SessiondError } from '../contract/errors.js';

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

// A number, then an optional binary unit (k, M, G, T; either case), then an optional B or iB.
const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*([kmgt]?)(?:i?b)?$/i;

/**
 * Parses a size as `--memory-max` takes it (`512M`, `1.5G`, `512k`, `1048576`; units are
 * powers of 1024, as systemd's MemoryMax and the kernel's memory.max read them) into whole
 * bytes. A number is taken as bytes. Zero, negatives and unknown units are refused, naming `what`.
 */
export function parseSize(input: unknown, what = 'memoryMax'): number {
  const bytes = typeof input === 'number' ? input : typeof input === 'string' ? sizeOf(input.trim()) : NaN;
  if (Number.isFinite(bytes) && Math.floor(bytes) >= 1 && bytes <= Number.MAX_SAFE_INTEGER) return Math.floor(bytes);
  throw new SessiondError(
    'invalid_params',
    `${what} ${JSON.stringify(input)} is not a size: give a positive number of bytes, or one with a unit such as 512M, 1.5G, 512k`,
  );
}

function sizeOf(text: string): number {
  const match = SIZE.exec(text);
  if (!match) return NaN;
  return Number(match[1]) * UNITS[match[2]!.toLowerCase()]!;
}
