import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessiondError } from '../contract/errors.js';
import { ensureStateDir } from '../daemon/state-dir.js';
import { entryPath } from '../process/entries.js';
import { isRunning } from '../process/proc.js';
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
  let ours = spawnDaemon(paths);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await probe(paths);
    if (status && status.pid === ours.pid) return { status, started: true };
    if (status) {
      // Another starter won the lock: ours is exiting; once it has, exactly one daemon is left.
      const timer = new AbortController(); // a pending timer would hold the CLI's exit until the deadline
      await Promise.race([ours.exited, sleep(Math.max(0, deadline - Date.now()), undefined, { signal: timer.signal }).catch(() => undefined)]);
      timer.abort();
      return { status, started: false };
    }
    // Ours failing (an unusable store, say) ends the wait at once.
    if (ours.code !== undefined && ours.code !== EXIT_ALREADY_RUNNING && !(await probe(paths))) {
      throw new SessiondError('start_failed', `sessiond could not start:\n${tail(paths.daemonOutput)}\n(see ${paths.daemonOutput})`);
    }
    // Ours lost the lock and nobody answers: its holder is starting (wait for it), or is a daemon
    // that was killed, whose last threads hold the lock a few ms more: once it is gone, try again.
    if (ours.code === EXIT_ALREADY_RUNNING && !lockHolderRuns(paths)) ours = spawnDaemon(paths);
    await sleep(50);
  }
  throw new SessiondError(
    'daemon_unavailable',
    `sessiond did not answer on ${paths.socket} within ${timeoutMs} ms; see ${paths.daemonOutput}:\n${tail(paths.daemonOutput)}`,
  );
}

/** A detached sessiond; `code` is its exit code once it has exited (null: it never ran, or a signal ended it). */
function spawnDaemon(paths: StatePaths): { readonly pid: number | undefined; readonly exited: Promise<void>; code: number | null | undefined } {
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
  const spawned = {
    pid: child.pid,
    code: undefined as number | null | undefined,
    exited: new Promise<void>((resolve) => {
      child.once('exit', (code) => {
        spawned.code = code;
        resolve();
      });
      // It never ran (no node at execPath?): the caller says it could not start.
      child.once('error', () => {
        spawned.code = null;
        resolve();
      });
    }),
  };
  child.unref();
  return spawned;
}

// The lock's holder names itself in the pid file: a hint only (written a moment after the lock is
// taken, removed a moment before it is let go), enough to tell a daemon starting from one gone.
function lockHolderRuns(paths: StatePaths): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
  } catch {
    return false;
  }
  return Number.isInteger(pid) && pid > 0 && isRunning(pid);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-5).join('\n');
  } catch {
    return '(no output)';
  }
}
