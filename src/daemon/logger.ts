import { renameSync, statSync } from 'node:fs';
import { pino, type Logger } from 'pino';

/** Past this size the daemon's log is rotated to `.1` (checked at start and every minute). */
export const DAEMON_LOG_MAX_BYTES = 10 * 1024 * 1024;
const CHECK_EVERY_MS = 60_000;

/**
 * The daemon's structured log. Synchronous writes: the daemon logs a few lines a request,
 * and a line written before a crash or SIGKILL must be on disk.
 */
export function createLogger(file: string, maxBytes = DAEMON_LOG_MAX_BYTES): Logger {
  rotateIfLarge(file, maxBytes);
  const destination = pino.destination({ dest: file, sync: true, mkdir: true, mode: 0o600 });
  setInterval(() => {
    if (rotateIfLarge(file, maxBytes)) destination.reopen();
  }, CHECK_EVERY_MS).unref();
  return pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

function rotateIfLarge(file: string, maxBytes: number): boolean {
  try {
    if (statSync(file).size <= maxBytes) return false;
    renameSync(file, `${file}.1`);
    return true;
  } catch {
    return false; // no log yet
  }
}
