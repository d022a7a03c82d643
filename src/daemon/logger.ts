import { pino, type Logger } from 'pino';

/**
 * The daemon's structured log. Synchronous writes: the daemon logs a few lines a request,
 * and a line written before a crash or SIGKILL must be on disk.
 */
export function createLogger(file: string): Logger {
  return pino(
    { base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: file, sync: true, mkdir: true, mode: 0o600 }),
  );
}
