/**
 * NODE_EXTRA_CA_CERTS has Node read and parse the bundle it names at each start, before any
 * JavaScript runs: ~40 ms of CPU per process on the 2-core VM of 2026-12-07 with the system's
 * 200 KB bundle, where a bare `node -e 0` takes 55 ms without it. A session supervisor makes no
 * TLS connection, so it starts without it; it gets the value under another name and puts it back
 * in its own environment, which every child (the Placeholder too: the contract gives children the
 * daemon's environment) and exec it spawns inherits.
 */
const CA_CERTS = 'NODE_EXTRA_CA_CERTS';
const CARRIED = 'SESSIOND_NODE_EXTRA_CA_CERTS';

/** Laid over `from` for a supervisor's spawn: the variable moved aside (undefined unsets it). */
export function caCertsMovedAside(from: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  return { [CA_CERTS]: undefined, [CARRIED]: from[CA_CERTS] };
}

/** The supervisor's first step: the variable back in its environment, for its children. */
export function restoreCaCerts(env: NodeJS.ProcessEnv = process.env): void {
  const value = env[CARRIED];
  if (value === undefined) return;
  env[CA_CERTS] = value;
  delete env[CARRIED];
}
