import { SessiondError } from './errors.js';

// The OS's signal numbers, from node:os when first asked: `sessionctl exec` needs them only for a
// command a signal ended, and node:os costs every exec's start-up ~0.5 ms.
const signals = (): typeof import('node:os').constants.signals => process.getBuiltinModule('node:os').constants.signals;

/** `KILL`, `sigterm` and `SIGKILL` all name a signal; null for anything else. */
export function signalName(text: string): NodeJS.Signals | null {
  const upper = text.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return Object.hasOwn(signals(), name) ? (name as NodeJS.Signals) : null;
}

/** As signalName, throwing a SessiondError (invalid_params) for a name the OS does not know. */
export function toSignal(text: string): NodeJS.Signals {
  const signal = signalName(text);
  if (signal === null) throw new SessiondError('invalid_params', `unknown signal ${JSON.stringify(text)}: give a signal name such as SIGKILL or SIGTERM`);
  return signal;
}

/** The number of a signal named as the OS names it (SIGTERM: 15), null for an unknown name. */
export function signalNumber(name: string): number | null {
  const table = signals();
  return Object.hasOwn(table, name) ? table[name as NodeJS.Signals] : null;
}
