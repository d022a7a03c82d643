import type { Logger } from 'pino';
import { errorMessage } from '../contract/errors.js';
import { createHandlers } from '../control/handlers.js';
import { checkSocketPath, statePaths } from '../control/paths.js';
import { ControlServer } from '../control/server.js';
import { SessionManager } from '../manager/session-manager.js';
import { InstanceLock } from './instance-lock.js';
import { createLogger } from './logger.js';
import { ensureStateDir } from './state-dir.js';

export interface Daemon {
  readonly pid: number;
  readonly socket: string;
  readonly log: Logger;
  /** Terminates every session in parallel, then closes the socket and exits the process. */
  readonly shutdown: (code?: number) => Promise<never>;
}

/** Starts sessiond on a state dir: checks the dir, takes the lock, then serves the control socket. */
export async function startDaemon(options: { home?: string } = {}): Promise<Daemon> {
  const paths = statePaths(options.home);
  checkSocketPath(paths);
  ensureStateDir(paths.home, paths.logDir);
  const lock = await InstanceLock.acquire(paths.home, paths.pidFile);
  const log = createLogger(paths.daemonLog);
  const manager = new SessionManager({ home: paths.home });
  manager.on('event', (event) => log.info({ event }, event.type));

  let stopping: Promise<void> | null = null;
  const stopSessions = (why: string) =>
    (stopping ??= (async () => {
      log.info({ why }, 'stopping: terminating every session');
      await manager.shutdown();
      log.info('every session terminated');
    })());

  let server: ControlServer | null = null;
  let exiting: Promise<never> | null = null;
  const exit = (code: number): Promise<never> =>
    (exiting ??= (async () => {
      await server?.close(paths.socket).catch((error: unknown) => log.error({ err: error }, 'closing the control socket failed'));
      lock.release();
      log.info({ code }, 'sessiond exits');
      process.exit(code);
    })());

  const shutdown = async (code = 0): Promise<never> => {
    await stopSessions(code === 0 ? 'requested' : 'fatal error');
    return exit(code);
  };

  server = new ControlServer(
    createHandlers(manager, {
      home: paths.home,
      startedAt: Date.now(),
      stopping: () => stopping !== null,
      stop: async () => {
        await stopSessions('stop request');
        // Exit after this turn, once the reply to `stop` has been written.
        setImmediate(() => void exit(0));
      },
    }),
    log,
  );
  try {
    await server.listen(paths.socket);
  } catch (error) {
    lock.release();
    throw error;
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      log.info({ signal }, 'signal received');
      void shutdown(0);
    });
  }
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, `uncaught exception: ${errorMessage(error)}`);
    void shutdown(70);
  });
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, `unhandled rejection: ${errorMessage(reason)}`));

  log.info({ home: paths.home, socket: paths.socket }, 'sessiond started');
  return { pid: process.pid, socket: paths.socket, log, shutdown };
}
