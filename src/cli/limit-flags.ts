import { SessiondError } from '../contract/errors.js';
import { parseSize } from '../limits/size.js';
import { validateCpuMax, validateMaxProcesses } from '../limits/limits.js';

/** `create`'s limit flags as typed (strings: `--memory-max 512M`); absent ones undefined. */
export interface LimitFlags {
  readonly memoryMax?: string | undefined;
  readonly cpuMax?: string | undefined;
  readonly maxProcesses?: string | undefined;
  readonly ttlMs?: string | undefined;
  readonly idleTerminateMs?: string | undefined;
}

/** The limits of the spec sent to the daemon, in its units (bytes, percent, counts, ms), checked here: bad input is exit 2. */
export function parseLimitFlags(flags: LimitFlags): Record<string, number> {
  const limits: Record<string, number> = {};
  if (flags.memoryMax !== undefined) limits.memoryMax = parseSize(flags.memoryMax, '--memory-max');
  if (flags.cpuMax !== undefined) limits.cpuMax = validateCpuMax(flags.cpuMax);
  if (flags.maxProcesses !== undefined) limits.maxProcesses = validateMaxProcesses(flags.maxProcesses);
  if (flags.ttlMs !== undefined) limits.ttlMs = positiveMs(flags.ttlMs, '--ttl-ms');
  if (flags.idleTerminateMs !== undefined) limits.idleTerminateMs = positiveMs(flags.idleTerminateMs, '--idle-terminate-ms');
  return limits;
}

function positiveMs(text: string, flag: string): number {
  const ms = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (Number.isSafeInteger(ms) && ms >= 1) return ms;
  throw new SessiondError('invalid_params', `${flag} ${JSON.stringify(text)} is not a positive whole number of milliseconds`);
}
