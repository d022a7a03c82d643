import type { SessionInput } from '../../src/manager/session-machine.js';

export const T0 = '2026-01-01T00:00:00.000Z';
export const exit = (code: number | null, signal: string | null = null) => ({ code, signal, at: T0 });

/** One of each input of the status machine: tables that must define every input in every status walk it. */
export const MACHINE_INPUTS: SessionInput[] = [
  { kind: 'ready', children: [] },
  { kind: 'activity' },
  { kind: 'quiet' },
  { kind: 'terminate' },
  { kind: 'start_failed', reason: 'child x exited' },
  { kind: 'hung', reason: 'supervisor hung' },
  { kind: 'supervisor_exited', exit: exit(null, 'SIGKILL') },
  { kind: 'fault', reason: 'boom' },
  { kind: 'stopped', exit: null },
  { kind: 'paused' },
  { kind: 'resumed' },
  { kind: 'expired', ms: 1000 },
  { kind: 'idle_timeout', ms: 1000 },
];
