import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessiondError } from '../contract/errors.js';
import { ensureStateDir } from '../daemon/state-dir.js';
import { entryPath } from '../process/entries.js';
import { Connection } from './connection.js';
import { checkSocketPath, EXIT_ALREADY_RUNNING, type StatePaths } from '../contract/paths.js';
import type { DaemonStatus } from './protocol.js';

export const DAEMON_START_TIMEOUT_MS = 10_000;

/** The daemon's status, or null when nothing answers on the socket. */
export async function probe(paths: StatePaths): Promise<DaemonStatus | null> {
  let connection: Connection;
  try {
    connection = await Connection.open(paths.socket);
  } catch {
    return null;
  }
  try {
    return (await connection.request('status', {})) as DaemonStatus;
  } catch (error) {
    // A daemon exiting as we ask tells us why it goes (restarting or stopped): either way, not running.
    if (error instanceof SessiondError && (error.code === 'daemon_unavailable' || error.code === 'daemon_stopped')) return null;
    throw error;
  } finally {
    connection.close();
  }
}

/**
 * Starts sessiond fully detached (own session, no stdio of ours, unref'd) unless it answers
 * already, and resolves once it answers `status`. Concurrent callers may each spawn one: the
 * instance lock lets one live, the others exit at once, and every caller sees the winner.
 */
export async function ensureDaemon(paths: StatePaths, timeoutMs = DAEMON_START_TIMEOUT_MS, onSlow?: () => void): Promise<{ status: DaemonStatus; started: boolean }> {
  const running = await probe(paths);
  if (running) return { status: running, started: false };
  // A first start (a cold disk, a loaded machine) can take seconds: the caller may say why it waits.
  const slow = onSlow ? setTimeout(onSlow, SLOW_START_MS) : undefined;
  try {
    return await startDaemon(paths, timeoutMs);
  } finally {
    clearTimeout(slow);
  }
}

/** After this long, a start is slow enough to mention. */
export const SLOW_START_MS = 1000;

async function startDaemon(paths: StatePaths, timeoutMs: number): Promise<{ status: DaemonStatus; started: boolean }> {
  checkSocketPath(paths);
  ensureStateDir(paths.home, paths.logDir); // its errors are clearer here than from a detached process
  const output = openSync(paths.daemonOutput, 'a', 0o600);
  let child;
  try {
    child = spawn(process.execPath, [entryPath('sessiond'), '--home', paths.home], {
      detached: true,
      stdio: ['ignore', output, output],
    });
  } finally {
    closeSync(output);
  }
  // Ours failing (an unusable store, say) ends the wait at once; ours losing the lock to another starter does not.
  let failed = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      failed = code !== EXIT_ALREADY_RUNNING;
      resolve();
    });
    child.once('error', () => resolve()); // reported below as a daemon that never answered
  });
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await probe(paths);
    if (status && status.pid === child.pid) return { status, started: true };
    if (status) {
      // Another starter won the lock: ours is exiting; once it has, exactly one daemon is left.
      const timer = new AbortController(); // a pending timer would hold the CLI's exit until the deadline
      await Promise.race([exited, sleep(Math.max(0, deadline - Date.now()), undefined, { signal: timer.signal }).catch(() => undefined)]);
      timer.abort();
      return { status, started: false };
    }
    if (failed && !(await probe(paths))) {
      throw new SessiondError('start_failed', `sessiond could not start:\n${tail(paths.daemonOutput)}\n(see ${paths.daemonOutput})`);
    }
    await sleep(50);
  }
  throw new SessiondError(
    'daemon_unavailable',
    `sessiond did not answer on ${paths.socket} within ${timeoutMs} ms; see ${paths.daemonOutput}:\n${tail(paths.daemonOutput)}`,
  );
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-5).join('\n');
  } catch {
    return '(no output)';
  }
}
