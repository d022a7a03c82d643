// The one small interface every system under test implements: sessiond, its peers, the floor.
import type { Hub } from './hub.js';

// sessiond twice: with its defaults (spares on) and with spares off (`--warm 0`).
export type SystemName = 'sessiond' | 'sessiond-cold' | 'pm2' | 'supervisord' | 'floor';
export const SYSTEM_NAMES: readonly SystemName[] = ['sessiond', 'sessiond-cold', 'pm2', 'supervisord', 'floor'];

export interface BenchContext {
  /** The repository root: dist/ and bench/workers/ live under it. */
  readonly repo: string;
  /** The sessionctl users run (package.json's `bin`): every CLI figure times it. */
  readonly sessionctl: string;
  /** The run's temp dir; each system makes its own dir inside. */
  readonly tmp: string;
  /** The worker every system runs. */
  readonly worker: string;
  readonly hub: Hub;
}

export interface UnitOptions {
  /**
   * The unit must run the bench worker (it tells the hub when it is ready: the crash and
   * terminate scenarios). Without it, sessiond with spares creates a default session (the
   * Placeholder, no children), as `sessionctl create` does; every other system runs the worker anyway.
   */
  readonly worker?: boolean;
  /** Run the worker variant that ignores SIGTERM (stopped by SIGKILL after 5 s); implies `worker`. */
  readonly ignoreTerm?: boolean;
  /** sessiond only: an isolated session (`create --isolate`: a uid of its own), from an isolated spare. */
  readonly isolate?: boolean;
}

/** One supervised worker: a session under sessiond, an app under PM2, a program under supervisord. */
export interface Unit {
  /** The name its worker reports to the hub. */
  readonly id: string;
  /** Every process of the unit (supervisor and worker for sessiond), as started. */
  pids: number[];
  workerPid: number;
}

/** Processes started under one daemon, and how to SIGKILL that daemon (the orphan test). */
export interface OrphanGroup {
  readonly pids: readonly number[];
  killDaemon(): void;
}

export interface System {
  readonly name: SystemName;
  /** How the system is driven, for the report. */
  readonly driver: string;
  /** Starts the daemon on a fresh temp dir; `capacity` is the most units alive at once. */
  setup(capacity: number): Promise<void>;
  /** Stops every process it started and removes its temp dir; safe after a failed setup or a killed daemon. */
  teardown(): Promise<void>;
  /** create → active: resolves once the worker is ready. */
  start(name: string, options?: UnitOptions): Promise<Unit>;
  /** As start, through the system's command-line tool (a new process per call). */
  startViaCli?(name: string): Promise<Unit>;
  /** One run of the command-line tool that needs no daemon: the CLI's own start-up. */
  cliStartup?(): Promise<void>;
  /** Waits, untimed, until the system is as a user would find it before a create (sessiond: its spares loaded). */
  settle?(): Promise<void>;
  /** The processes of the idle spares (sessiond with spares): none for the others. */
  sparePids?(): Promise<number[]>;
  /** Asks for the unit to be stopped; resolves when the system answers. */
  stop(unit: Unit): Promise<void>;
  /** One listing of every unit over the control channel; resolves with their count. */
  list?(): Promise<number>;
  /** A request to the unit's worker and its reply, over the control channel (sessiond's `send`). */
  send?(unit: Unit, body: unknown): Promise<unknown>;
  /** The daemon's pid, or null for the floor. */
  daemonPid(): number | null;
  orphanGroup(count: number): Promise<OrphanGroup>;
}

/** The orphan group of a system with a daemon: `count` units, then SIGKILL of the daemon. */
export async function unitsUnderDaemon(system: System, count: number): Promise<OrphanGroup> {
  const units = await Promise.all(Array.from({ length: count }, (_, i) => system.start(`orphan-${i}`)));
  const daemon = system.daemonPid();
  if (daemon === null) throw new Error(`${system.name}: no daemon to kill`);
  return { pids: units.flatMap((u) => u.pids), killDaemon: () => process.kill(daemon, 'SIGKILL') };
}

/** Unit names unique across a run, so no system confuses a new unit with an old one. */
let counter = 0;
export function unitName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}
