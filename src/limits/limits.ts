import { availableParallelism } from 'node:os';
import { SessiondError } from '../contract/errors.js';
import { parseSize } from './size.js';

/** A session's resource limits, checked: null where none is asked for. */
export interface ResourceLimits {
  /** Bytes the session's processes may hold together. */
  readonly memoryMax: number | null;
  /** Percent of one core (150 = one and a half cores). */
  readonly cpuMax: number | null;
  /** Tasks the session may have at once; the kernel counts threads too, as systemd's TasksMax. */
  readonly maxProcesses: number | null;
}

export const NO_LIMITS: ResourceLimits = { memoryMax: null, cpuMax: null, maxProcesses: null };

/** The limits as a spec or flags give them: sizes may be strings (`512M`), numbers may be strings. */
export interface ResourceLimitsInput {
  readonly memoryMax?: unknown;
  readonly cpuMax?: unknown;
  readonly maxProcesses?: unknown;
}

/** Parses limits once at the edge; each bad one is refused with its name (invalid_params, exit 2). */
export function parseLimits(input: ResourceLimitsInput, cores = availableParallelism()): ResourceLimits {
  return {
    memoryMax: given(input.memoryMax) ? parseSize(input.memoryMax) : null,
    cpuMax: given(input.cpuMax) ? validateCpuMax(input.cpuMax, cores) : null,
    maxProcesses: given(input.maxProcesses) ? validateMaxProcesses(input.maxProcesses) : null,
  };
}

/** cpuMax is a percent of one core: positive, and no more than every core of the host. */
export function validateCpuMax(input: unknown, cores = availableParallelism()): number {
  const percent = numberOf(input);
  const most = 100 * cores;
  if (Number.isFinite(percent) && percent > 0 && percent <= most) return percent;
  throw new SessiondError(
    'invalid_params',
    `cpuMax ${JSON.stringify(input)} is not a percent of one core: give a number above 0 and at most ${most} (100 × ${cores} cores)`,
  );
}

export function validateMaxProcesses(input: unknown): number {
  const count = numberOf(input);
  if (Number.isSafeInteger(count) && count >= 1) return count;
  throw new SessiondError('invalid_params', `maxProcesses ${JSON.stringify(input)} is not a positive whole number`);
}

export function hasLimits(limits: ResourceLimits): boolean {
  return limits.memoryMax !== null || limits.cpuMax !== null || limits.maxProcesses !== null;
}

function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function numberOf(input: unknown): number {
  if (typeof input === 'number') return input;
  if (typeof input === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(input)) return Number(input);
  return NaN;
}
