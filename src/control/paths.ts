import { join } from 'node:path';
import { SessiondError } from '../contract/errors.js';
import { resolveStateDir } from '../contract/state-dir.js';

/** Where the files of one state dir live: the daemon, the CLI and SessionClient agree through this. */
export interface StatePaths {
  readonly home: string;
  readonly socket: string;
  readonly pidFile: string;
  readonly logDir: string;
  readonly daemonLog: string;
  /** The detached daemon's stdout/stderr: what it printed before its log was open. */
  readonly daemonOutput: string;
}

// sockaddr_un.sun_path holds 108 bytes on Linux, the terminating NUL included.
const MAX_SOCKET_PATH = 107;

export function statePaths(home?: string): StatePaths {
  const dir = resolveStateDir(home);
  const logDir = join(dir, 'logs');
  return {
    home: dir,
    socket: join(dir, 'sessiond.sock'),
    pidFile: join(dir, 'sessiond.pid'),
    logDir,
    daemonLog: join(logDir, 'sessiond.log'),
    daemonOutput: join(logDir, 'sessiond.out'),
  };
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
