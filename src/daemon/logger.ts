import { fstatSync, renameSync, statSync } from 'node:fs';
import { pino, type DestinationStream, type Logger } from 'pino';

/** Past this size the daemon's log is rotated to `.1` (checked at start and every minute). */
export const DAEMON_LOG_MAX_BYTES = 10 * 1024 * 1024;
const CHECK_EVERY_MS = 60_000;

export interface LoggerOptions {
  readonly maxBytes?: number;
  /** Also write each line, readable, to stdout: under systemd that is the journal. */
  readonly stdout?: boolean;
}

/**
 * The daemon's structured log, reopened on SIGUSR1. Synchronous writes: the daemon logs a few lines a request,
 * and a line written before a crash or SIGKILL must be on disk.
 */
export function createLogger(file: string, options: LoggerOptions = {}): Logger {
  const maxBytes = options.maxBytes ?? DAEMON_LOG_MAX_BYTES;
  rotateIfLarge(file, maxBytes);
  const destination = pino.destination({ dest: file, sync: true, mkdir: true, mode: 0o600 });
  setInterval(() => {
    if (rotateIfLarge(file, maxBytes)) destination.reopen();
  }, CHECK_EVERY_MS).unref();
  const settings = { base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  const log = options.stdout ? pino(settings, pino.multistream([{ stream: destination }, { stream: journalLines() }])) : pino(settings, destination);
  // logrotate (without copytruncate) renames the file, then signals: the next lines go to a new one.
  process.on('SIGUSR1', () => {
    destination.reopen();
    log.info({ file }, 'log reopened (SIGUSR1)');
  });
  return log;
}

/**
 * Whether stdout is connected to the systemd journal: systemd sets JOURNAL_STREAM to the
 * device and inode of the stream it hands a service, and a child that inherited only the
 * variable has another stdout (see systemd.exec(5), $JOURNAL_STREAM).
 */
export function stdoutIsJournal(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!env.JOURNAL_STREAM) return false;
  try {
    const stat = fstatSync(1);
    return env.JOURNAL_STREAM === `${stat.dev}:${stat.ino}`;
  } catch {
    return false;
  }
}

// pino levels → syslog priorities: journald reads a `<N>` prefix, so `journalctl -p err` works.
const PRIORITY: Readonly<Record<number, number>> = { 10: 7, 20: 7, 30: 6, 40: 4, 50: 3, 60: 2 };

/** One line per entry for people reading the journal: `<6>message {"the":"other fields"}`. */
function journalLines(): DestinationStream {
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        process.stdout.write(line);
        return;
      }
      // The journal stamps each line and knows the pid: those fields would only repeat it.
      const { level, time: _time, pid: _pid, msg, ...fields } = entry;
      const extra = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
      process.stdout.write(`<${PRIORITY[level as number] ?? 6}>${String(msg ?? '')}${extra}\n`);
    },
  };
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
