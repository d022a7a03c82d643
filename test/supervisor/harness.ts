import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childSpecInput, sessionSpecInput, type ChildSpec, type ChildSpecInput, type SessionSpec, type SessionSpecInput } from '../../src/contract/spec.js';
import type { FromSupervisor } from '../../src/ipc/supervisor-messages.js';
import { entryPath } from '../../src/process/entries.js';
import { isRunning, runningDescendants } from '../../src/process/proc.js';
import { toChildSpec } from '../../src/manager/session-input.js';
import { Supervisor } from '../../src/supervisor/supervisor.js';
import { afterEach, expect } from 'vitest';
import { expectAllGone, killAll, tempHome, waitFor } from '../helpers/proc.js';

export const fixture = (name: string) => join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', name);
/** The built Placeholder (npm run build). */
export const PLACEHOLDER = entryPath('placeholder');

let count = 0;
/** A session id no other test on this machine uses: markers are swept by session id. */
export function uniqueId(tag = 'sup'): string {
  return `${tag}-${process.pid}-${++count}`;
}

/** A complete session spec, defaults filled in as the manager would, with a unique id. */
export function sessionSpec(input: SessionSpecInput): SessionSpec {
  const parsed = sessionSpecInput.parse(input);
  return { ...parsed, id: parsed.id ?? uniqueId(), children: parsed.children.map((c) => toChildSpec(c, process.cwd())) };
}

export function childSpec(input: ChildSpecInput): ChildSpec {
  return toChildSpec(childSpecInput.parse(input), process.cwd());
}

export type ChildReport = Extract<FromSupervisor, { type: 'child' }>;

/**
 * A Supervisor in this process, with real children: records every report, every pid it names and
 * every exit() call, and proves at the end that every pid it saw is gone.
 */
export class SupervisorRun {
  readonly spec: SessionSpec;
  readonly supervisor: Supervisor;
  readonly reports: FromSupervisor[] = [];
  readonly seen = new Set<number>();
  readonly exits: number[] = [];
  /** Seen pids still running when exit() was called: an exit must come after every process is gone. */
  aliveAtExit: number[] | null = null;
  /** Reported pids that are neither null nor a real pid (a pid ≤ 0 given to kill() signals a group or everything). */
  readonly badPids: unknown[] = [];
  /** Called on each report as it arrives (before the supervisor goes on). */
  onReport: (message: FromSupervisor) => void = () => undefined;

  constructor(input: SessionSpecInput, init: { heartbeatMs?: number; startTimeoutMs?: number } = {}) {
    this.spec = sessionSpec(input);
    const options = { heartbeatMs: init.heartbeatMs ?? 250, startTimeoutMs: init.startTimeoutMs ?? 10_000, logDir: null };
    this.supervisor = new Supervisor(this.spec, options, (m) => this.record(m), (code) => this.exited(code));
  }

  /** The child reports, as "event name", without the internal 'spawned'. */
  events(): string[] {
    return this.childReports()
      .filter((m) => m.event !== 'spawned')
      .map((m) => `${m.event} ${m.child.name}`);
  }

  childReports(event?: ChildReport['event'], name?: string): ChildReport[] {
    return this.reports.filter((m): m is ChildReport => m.type === 'child' && (!event || m.event === event) && (!name || m.child.name === name));
  }

  /** The latest pid reported for a child. */
  pid(name: string): number {
    const pid = this.childReports(undefined, name).reverse().find((m) => m.child.pid !== null)?.child.pid;
    if (!pid) throw new Error(`no pid reported for child ${name}`);
    return pid;
  }

  /** Records the running descendants of every pid seen (grandchildren a fixture spawned). */
  snapshot(): void {
    for (const pid of [...this.seen]) if (isRunning(pid)) for (const d of runningDescendants(pid)) this.seen.add(d);
  }

  waitReport<T extends FromSupervisor>(match: (m: FromSupervisor) => m is T, what: string, timeoutMs?: number): Promise<T>;
  waitReport(match: (m: FromSupervisor) => boolean, what: string, timeoutMs?: number): Promise<FromSupervisor>;
  waitReport(match: (m: FromSupervisor) => boolean, what: string, timeoutMs = 10_000): Promise<FromSupervisor> {
    return waitFor(() => this.reports.find(match), what, timeoutMs);
  }

  /** Waits for the n-th (1-based) child report "event name". */
  waitEvent(event: ChildReport['event'], name: string, n = 1, timeoutMs = 10_000): Promise<ChildReport> {
    return waitFor(() => this.childReports(event, name)[n - 1], `report #${n} of ${event} ${name}`, timeoutMs);
  }

  async waitExit(timeoutMs = 10_000): Promise<number> {
    await waitFor(() => this.exits.length > 0, 'the supervisor to call exit', timeoutMs);
    return this.exits[0]!;
  }

  /** Shuts the supervisor down unless it exited, then proves that every pid it saw is gone. */
  async close(): Promise<void> {
    try {
      if (this.exits.length === 0) await this.supervisor.shutdown();
      await this.waitExit();
      await expectAllGone([...this.seen]);
    } finally {
      killAll(this.seen);
    }
  }

  private record(message: FromSupervisor): void {
    this.reports.push(message);
    const states = message.type === 'child' ? [message.child] : message.type === 'ready' ? message.children : [];
    for (const { pid } of states) {
      if (pid === null) continue;
      if (Number.isInteger(pid) && pid > 0) this.seen.add(pid);
      else this.badPids.push(pid);
    }
    this.onReport(message);
  }

  private exited(code: number): void {
    this.aliveAtExit ??= [...this.seen].filter(isRunning);
    this.exits.push(code);
  }
}

export const placeholder = (name: string, extra: Partial<ChildSpecInput> = {}): ChildSpecInput => ({ name, file: PLACEHOLDER, ...extra });
/** Exits with $EXIT_CODE (default 1) on SIGUSR1: a crash on cue. */
export const crasher = (name: string, extra: Partial<ChildSpecInput> = {}): ChildSpecInput => ({ name, file: fixture('exit-on-signal.mjs'), ...extra });

export const isType =
  <T extends FromSupervisor['type']>(type: T) =>
  (m: FromSupervisor): m is Extract<FromSupervisor, { type: T }> =>
    m.type === type;

/** A run whose start has completed with `ready`. */
export async function startRun(input: SessionSpecInput, init?: ConstructorParameters<typeof SupervisorRun>[1]): Promise<SupervisorRun> {
  const run = new SupervisorRun(input, init);
  await run.supervisor.start();
  if (run.reports.at(-1)?.type === 'ready') return run;
  await run.close();
  throw new Error(`the start did not end in ready: ${JSON.stringify(run.reports.at(-1))}`);
}

/** The child events after the first `count` (the start's `started` ones). */
export const after = (run: SupervisorRun, count: number) => run.events().slice(count);

/**
 * A test file's runs, one at a time: after each test the run is shut down and proven gone
 * (nothing alive at its exit, no bad pid reported), and its temp dir removed.
 */
export function runsOfEachTest() {
  let run: SupervisorRun | undefined;
  let home: ReturnType<typeof tempHome> | undefined;
  afterEach(async () => {
    try {
      await run?.close();
      expect(run?.aliveAtExit ?? []).toEqual([]);
      expect(run?.badPids ?? []).toEqual([]);
    } finally {
      run = undefined;
      home?.cleanup();
      home = undefined;
    }
  });
  return {
    started: async (...args: Parameters<typeof startRun>) => (run = await startRun(...args)),
    /** A run made by the test itself. */
    track: (made: SupervisorRun) => (run = made),
    tempDir: () => (home = tempHome()).dir,
  };
}

/** A supervisor entry process, spawned as the daemon spawns it (an IPC channel): what it reports, its stderr, its exit code. */
export interface EntryRun {
  readonly proc: ChildProcess;
  readonly reports: FromSupervisor[];
  stderr(): string;
  readonly exited: Promise<number | null>;
}

/**
 * A test file's supervisor entries, the real process the daemon starts: after each test, one
 * still running is SIGKILLed, and it and every pid tracked are proven gone.
 */
export function entriesOfEachTest() {
  const pids = new Set<number>();
  const procs: ChildProcess[] = [];
  afterEach(async () => {
    for (const proc of procs.splice(0)) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    killAll(pids);
    await expectAllGone([...pids]);
    pids.clear();
  });
  return {
    spawn(options: SpawnOptions = {}): EntryRun {
      const reports: FromSupervisor[] = [];
      let stderr = '';
      const proc = spawn(process.execPath, [entryPath('session-supervisor')], { ...options, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      procs.push(proc);
      pids.add(proc.pid!);
      proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      proc.on('message', (m: FromSupervisor) => reports.push(m));
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      return { proc, reports, stderr: () => stderr, exited };
    },
    /** A process the test saw start: it must be gone after the test. */
    track: (pid: number) => pids.add(pid),
  };
}
