import { join } from 'node:path';
import { SessiondError } from './errors.js';
import { resolveStateDir } from './state-dir.js';

/**
 * Where the files of one state dir live: the daemon, the CLI, SessionClient and the supervisor
 * agree through this module alone. A session's files live under `logs/sessions/<id>/`, apart
 * from the daemon's own, so no session id can collide with them.
 */
export interface StatePaths {
  readonly home: string;
  readonly socket: string;
  readonly pidFile: string;
  readonly store: string;
  readonly logDir: string;
  readonly daemonLog: string;
  /** The detached daemon's stdout/stderr: what it printed before its log was open. */
  readonly daemonOutput: string;
  /** What spare supervisors print before they belong to a session. */
  readonly supervisorsLog: string;
  /** Parent of every session's folder of logs. */
  readonly sessionsDir: string;
}

// sockaddr_un.sun_path holds 108 bytes on Linux, the terminating NUL included.
export const MAX_SOCKET_PATH = 107;

export function statePaths(home?: string): StatePaths {
  const dir = resolveStateDir(home);
  const logDir = join(dir, 'logs');
  return {
    home: dir,
    socket: join(dir, 'sessiond.sock'),
    pidFile: join(dir, 'sessiond.pid'),
    store: join(dir, 'state.db'),
    logDir,
    daemonLog: join(logDir, 'sessiond.log'),
    daemonOutput: join(logDir, 'sessiond.out'),
    supervisorsLog: join(logDir, 'supervisors.log'),
    sessionsDir: join(logDir, 'sessions'),
  };
}

/** The folder of one session's logs. */
export function sessionLogDir(sessionsDir: string, session: string): string {
  return join(sessionsDir, session);
}

/** Where a child of a session writes its stdout and stderr, in the session's folder. */
export function childLogFile(sessionDir: string, child: string): string {
  return join(sessionDir, `${child}.log`);
}

/** A socket path past the Unix limit fails with an obscure error at bind time: say it plainly. */
export function checkSocketPath(paths: StatePaths): void {
  if (Buffer.byteLength(paths.socket) > MAX_SOCKET_PATH) {
    throw new SessiondError(
      'invalid_params',
      `state dir ${paths.home} is too long for a Unix socket path (${MAX_SOCKET_PATH} bytes at most for ${paths.socket}); use a shorter --home`,
    );
  }
}

/** How `sessiond` exits when another daemon holds its state dir: a starter then waits for that one. */
export const EXIT_ALREADY_RUNNING = 75;
