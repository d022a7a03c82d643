import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionCgroup } from '../cgroup/index.js';
import { SessiondError } from '../contract/errors.js';
import { signalGroup, signalPid } from '../process/kill.js';
import { allStats, readStat, type ProcStat } from '../process/proc.js';

/** The processes a pause reaches without a freezer: the supervisor, and the groups of its children and execs. */
export interface PausedProcesses {
  readonly supervisor: number | null;
  readonly groups: readonly number[];
}

/** How long a pause waits for every process to be stopped before it gives up and continues them. */
export const PAUSE_TIMEOUT_MS = 2000;

/**
 * Stops and continues every process of a session: with the cgroup freezer when the session has
 * a group and the host a freezer (it catches every process, forks included, at once), else with
 * SIGSTOP / SIGCONT. Without a freezer the supervisor is stopped first and continued last, so it
 * never sees a stopped child miss its heartbeats. Operations run one at a time, so a stop that
 * comes during a pause continues the processes only once the pause is done.
 */
export class SessionPause {
  private how: 'freezer' | 'signals' | null = null;
  private since = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** From the first step of a pause to the last of its resume: heartbeats and the idle clock hold. */
  suspended = false;

  constructor(
    private readonly group: () => SessionCgroup | null,
    private readonly processes: () => PausedProcesses,
  ) {}

  get paused(): boolean {
    return this.how !== null;
  }

  /** Stops every process; resolves once the kernel reports them stopped. A no-op when they are. */
  pause(): Promise<void> {
    return this.serial(async () => {
      if (this.how) return;
      this.suspended = true;
      const group = this.group();
      try {
        if (group?.support.freeze) {
          await group.freeze(PAUSE_TIMEOUT_MS);
          this.how = 'freezer';
        } else {
          this.how = 'signals';
          await this.signal('SIGSTOP');
        }
        this.since = Date.now();
      } catch (error) {
        if (this.how === 'signals') await this.signal('SIGCONT').catch(() => undefined);
        this.how = null;
        this.suspended = false;
        throw error;
      }
    });
  }

  /** Continues every process; resolves with how long they were stopped (ms), 0 when they were not. */
  resume(): Promise<number> {
    return this.serial(async () => {
      const how = this.how;
      if (!how) return 0;
      if (how === 'freezer') await this.group()?.thaw(PAUSE_TIMEOUT_MS);
      else await this.signal('SIGCONT');
      this.how = null;
      this.suspended = false;
      return Date.now() - this.since;
    });
  }

  private async signal(signal: 'SIGSTOP' | 'SIGCONT'): Promise<void> {
    const { supervisor, groups } = this.processes();
    const send = (): void => {
      for (const pgid of groups) signalGroup(pgid, signal);
    };
    if (signal === 'SIGSTOP') {
      if (supervisor !== null) signalPid(supervisor, signal);
      send();
      await waitStopped([...(supervisor === null ? [] : [supervisor]), ...groups]);
    } else {
      send();
      if (supervisor !== null) signalPid(supervisor, signal);
    }
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * The process groups a pause without a freezer stops: those of `leaders` (the children the
 * supervisor reported) and of every other process the supervisor started (its execs), never the
 * supervisor's own group (its parent's, the daemon's, may be it).
 */
export function groupsUnder(supervisor: number | null, leaders: readonly number[], stats: readonly ProcStat[] = allStats()): number[] {
  const groups = new Set(leaders.filter((pid) => pid !== supervisor));
  const own = supervisor === null ? undefined : readStat(supervisor)?.pgrp;
  if (own !== undefined) for (const stat of stats) if (stat.ppid === supervisor && stat.pgrp !== own) groups.add(stat.pgrp);
  return [...groups];
}

// SIGSTOP is delivered when a process next runs: a pause returns once each one shows state T.
async function waitStopped(leaders: readonly number[]): Promise<void> {
  const deadline = Date.now() + PAUSE_TIMEOUT_MS;
  const wanted = new Set(leaders);
  for (;;) {
    const running = allStats().filter((s) => (wanted.has(s.pid) || wanted.has(s.pgrp)) && !'TtZX'.includes(s.state));
    if (!running.length) return;
    if (Date.now() > deadline) {
      throw new SessiondError('internal', `processes ${running.map((s) => s.pid).join(', ')} did not stop within ${PAUSE_TIMEOUT_MS} ms of SIGSTOP; they were continued, try the pause later`);
    }
    await sleep(2);
  }
}
