import { StartPhases } from './start-phases.js';
import { rmSync } from 'node:fs';
import type { Logger } from 'pino';
import { errorMessage, SessiondError } from '../contract/errors.js';
import { createHandlers } from '../control/handlers.js';
import { checkSocketPath, sessionLogDir, statePaths } from '../contract/paths.js';
import { ControlServer } from '../control/server.js';
import { withSessionIds } from '../control/session-ids.js';
import { SessionManager } from '../manager/session-manager.js';
import type { LogRotation } from '../logs/child-log.js';
import { Store, type RetentionOptions } from '../store/index.js';
import { InstanceLock } from './instance-lock.js';
import { prepareCgroups, releaseCgroups, type CgroupMode } from './cgroups.js';
import { Journal } from './journal.js';
import { recordedBeforeReply } from './recorded-replies.js';
import { knownSessions } from './known-sessions.js';
import { resurrectSessions } from './resurrect.js';
import { createLogger } from './logger.js';
import type { MetricsAddress } from './metrics-address.js';
import { MetricsServer } from './metrics-server.js';
import { ensureStateDir } from './state-dir.js';
import { EXIT_RESTART_REQUESTED } from './systemd.js';
import type { ClusterSettings } from './settings.js';
import { withNode } from '../cluster/node-handlers.js';
import { forgetClusterEnv, joinCluster, type Membership } from './cluster-membership.js';

export interface Daemon {
  readonly pid: number;
  readonly socket: string;
  /** Where Prometheus metrics are served, or null. */
  readonly metrics: string | null;
  readonly log: Logger;
  /** Terminates every session in parallel (code 0), or stops their processes keeping the sessions (a failure), then exits. */
  readonly shutdown: (code?: number) => Promise<never>;
}

export interface DaemonOptions {
  readonly home?: string | undefined;
  readonly idleTimeoutMs?: number | undefined;
  readonly heartbeatMs?: number | undefined;
  readonly warmSupervisors?: number | undefined;
  readonly retention?: RetentionOptions;
  /** How children's logs rotate (`--log-max-bytes`, `--log-files`). */
  readonly logRotation?: Partial<LogRotation>;
  /** Serve Prometheus metrics there (`--metrics`); off by default. */
  readonly metrics?: MetricsAddress | undefined;
  /** Log to stdout as well as to the log file: under systemd, the journal. */
  readonly logStdout?: boolean | undefined;
  /** Run by a systemd unit (`--systemd`): after a `daemon restart` request, the unit starts the next daemon. */
  readonly systemd?: boolean | undefined;
  /** `--cgroups`: auto (default) uses what the host offers, off none. */
  readonly cgroups?: CgroupMode | undefined;
  /** `--max-sessions`: creates past this many live sessions fail with code capacity. */
  readonly maxSessions?: number | undefined;
  /** `--cluster URL [--node NAME] [--cluster-creds FILE]`: also a node of that cluster. */
  readonly cluster?: ClusterSettings | undefined;
  /** `--isolate` (every create isolated unless --no-isolate), `--uid-range`. */
  readonly isolation?: IsolationOptions | undefined;
}

import type { IsolationOptions } from '../isolation/isolation.js';

const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Starts sessiond on a state dir: checks the dir, takes the lock, opens the store (a store it
 * cannot use stops it here, with the store's message), brings back the sessions of the last
 * daemon, then serves the control socket.
 */
export async function startDaemon(options: DaemonOptions = {}): Promise<Daemon> {
  const phases = new StartPhases();
  const paths = statePaths(options.home);
  forgetClusterEnv();
  checkSocketPath(paths);
  ensureStateDir(paths.home, paths.logDir);
  const lock = await InstanceLock.acquire(paths.home, paths.pidFile);
  const log = createLogger(paths.daemonLog, { stdout: options.logStdout ?? false });
  phases.done('stateDir');
  let store: Store;
  let metrics: MetricsServer | null = null;
  try {
    // Before any session starts: an address in use stops the start here, with nothing to undo.
    if (options.metrics) metrics = await MetricsServer.listen(options.metrics);
    store = Store.open(paths.store, { ...options.retention, pruneOnOpen: false });
  } catch (error) {
    log.fatal({ err: error }, errorMessage(error));
    await metrics?.close();
    lock.release();
    throw error;
  }
  // Pruned sessions take their log folders with them (their ids name no live session: live rows are never pruned).
  let membership: Membership | null = null;
  const prune = () => {
    const pruned = store.prune().sessions;
    for (const id of pruned) rmSync(sessionLogDir(paths.sessionsDir, id), { recursive: true, force: true });
    membership?.forget(pruned);
  };
  prune();
  setInterval(prune, PRUNE_EVERY_MS).unref();
  phases.done('store');
  // The store holds terminated sessions: the manager need not keep them in memory too.
  const { idleTimeoutMs, heartbeatMs, warmSupervisors } = options;
  const cgroups = await prepareCgroups(paths.home, options.cgroups ?? 'auto', log);
  phases.done('cgroups');
  const manager = new SessionManager({
    home: paths.home,
    keepTerminated: 0,
    idleTimeoutMs,
    heartbeatMs,
    warmSupervisors,
    cgroups,
    maxSessions: options.maxSessions,
    logRotation: options.logRotation ?? {},
    isolation: options.isolation ?? {},
  });
  manager.on('warning', (message) => log.warn(message));
  manager.on('debug', (message) => log.debug(message));
  const journal = new Journal(store, manager, log);
  // Joined before the sessions come back: a daemon whose node name is taken starts nothing.
  try {
    membership = options.cluster ? await joinCluster(options.cluster, { store, journal, log, maxSessions: options.maxSessions ?? null, socket: paths.socket }) : null;
  } catch (error) {
    log.fatal({ err: error }, errorMessage(error));
    await manager.shutdown();
    await releaseCgroups(cgroups, log);
    journal.flush();
    store.close();
    await metrics?.close();
    lock.release();
    throw error;
  }
  // prom-client is loaded only when metrics are asked for: every daemon start would pay for it.
  if (metrics) metrics.serve((await import('./metrics.js')).createMetrics(manager));
  phases.done('manager');
  await resurrectSessions(store, manager, log);
  phases.done('resurrect');

  let stopping: Promise<void> | null = null;
  // What every client is told as the daemon goes: a follower waits for the next daemon only if the sessions are kept for one.
  let farewell = new SessiondError('daemon_unavailable', 'sessiond went away');
  const stopSessions = (why: string, keepSessions = false) =>
    (stopping ??= (async () => {
      farewell = keepSessions
        ? new SessiondError('daemon_unavailable', 'sessiond is restarting: its sessions come back with the next daemon')
        : new SessiondError('daemon_stopped', 'sessiond was stopped: its sessions are terminated');
      log.info({ why, keepSessions }, keepSessions ? 'restarting: stopping every session process, keeping the sessions' : 'stopping: terminating every session');
      if (keepSessions) journal.freeze();
      await manager.shutdown({ keepSessions });
      await membership?.leave();
      await releaseCgroups(cgroups, log);
      journal.flush();
      store.close();
      log.info('every session process is gone');
    })());

  let server: ControlServer | null = null;
  let exiting: Promise<never> | null = null;
  const exit = (code: number): Promise<never> =>
    (exiting ??= (async () => {
      await server?.close(paths.socket, farewell).catch((error: unknown) => log.error({ err: error }, 'closing the control socket failed'));
      await metrics?.close();
      lock.release();
      log.info({ code }, 'sessiond exits');
      process.exit(code);
    })());

  // A daemon dying of its own bug keeps the sessions, as after a SIGKILL: the next start brings them back.
  const shutdown = async (code = 0): Promise<never> => {
    await stopSessions(code === 0 ? 'requested' : 'fatal error', code !== 0);
    return exit(code);
  };

  const handlers = createHandlers({
    manager,
    store,
    journal,
    home: paths.home,
    sessionsDir: paths.sessionsDir,
    metricsUrl: metrics?.url ?? null,
    systemd: options.systemd ?? false,
    startedAt: Date.now(),
    cgroups,
    stopping: () => stopping !== null,
    stop: async ({ keepSessions }) => {
      await stopSessions(keepSessions ? 'restart request' : 'stop request', keepSessions);
      // Exit after this turn, once the reply to `stop` has been written.
      setImmediate(() => void exit(keepSessions && options.systemd ? EXIT_RESTART_REQUESTED : 0));
    },
  });
  const served = withSessionIds(withNode(recordedBeforeReply(handlers, journal), () => membership?.node() ?? null), knownSessions(manager, store));
  server = new ControlServer(served, log);
  try {
    await server.listen(paths.socket);
  } catch (error) {
    await metrics?.close();
    lock.release();
    throw error;
  }

  await membership?.serve(served);

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

  phases.done('listen');
  log.info({ home: paths.home, socket: paths.socket, metrics: metrics?.url, startMs: phases.ms }, 'sessiond started');
  return { pid: process.pid, socket: paths.socket, metrics: metrics?.url ?? null, log, shutdown };
}
