import { createHash } from 'node:crypto';
import { realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { SessiondError } from '../contract/errors.js';

/**
 * One daemon per state dir. The lock is a Linux abstract Unix socket named after the state
 * dir's real path: bind() is atomic, and the kernel frees the name the moment its process
 * dies, SIGKILL included. A pid file with O_EXCL needs stale-lock detection, and removing a
 * stale file races with a second starter that just replaced it (two daemons); here there is
 * no stale state to clean, so five concurrent starts leave exactly one daemon. Limits: Linux
 * only, and per network namespace (as the sessions' /proc checks are per pid namespace anyway).
 * The pid file beside it is for people and scripts; nothing trusts it.
 */
export class InstanceLock {
  private constructor(
    private readonly server: Server,
    private readonly pidFile: string,
  ) {}

  static async acquire(home: string, pidFile: string): Promise<InstanceLock> {
    const server = createServer();
    const name = lockName(home);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new SessiondError('already_exists', `sessiond is already running for ${home}`)
            : new SessiondError('internal', `cannot take the instance lock of ${home}: ${error.message}`, { cause: error }),
        );
      });
      server.listen(name, () => resolve());
    });
    server.on('connection', (socket) => socket.destroy()); // nobody talks over the lock
    server.unref();
    writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
    return new InstanceLock(server, pidFile);
  }

  release(): void {
    rmSync(this.pidFile, { force: true });
    this.server.close();
  }
}

function lockName(home: string): string {
  const digest = createHash('sha256').update(realpathSync(home)).digest('hex').slice(0, 40);
  return `\0sessiond-${process.getuid?.() ?? 0}-${digest}`;
}
