import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { allStats, runs } from '../../src/process/proc.js';
import type { SessionInfo } from '../../src/contract/session.js';
import { expectAllGone, killAll, runningDescendants, tempHome, waitFor } from '../helpers/proc.js';
import { removeCgroupsOf } from '../helpers/cgroups.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** The sessionctl users run: package.json's `bin` (dist/src/cli/sessionctl.js, the ES module entry, still runs by path). */
export const SESSIONCTL = join(ROOT, (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { sessionctl: string } }).bin.sessionctl);

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

// Every Harness made in this worker, and those not torn down yet: test/helpers/leak-guard.ts fails
// a test that leaves one open (its daemon would outlive the run).
const made: Harness[] = [];
const open = new Set<Harness>();
export const harnesses = { made: (): readonly Harness[] => [...made], open: (): readonly Harness[] => [...open] };

/**
 * A state dir with its own daemon for one test: runs sessionctl against it, remembers every
 * pid it sees (the daemon and all its descendants), and at the end stops the daemon and
 * proves from /proc that none of them survives.
 */
export class Harness {
  readonly home: string;
  readonly seen = new Set<number>();
  private readonly cleanupDir: () => void;
  private readonly running = new Set<ResultPromise>();
  private closed = false;

  constructor() {
    const { dir, cleanup } = tempHome('sessiond-cli-');
    this.home = dir;
    this.cleanupDir = cleanup;
    made.push(this);
    open.add(this);
  }

  /** An environment for README shell lines run as written: `sessionctl` of this build on PATH, this harness's state dir. */
  shellEnv(): Record<string, string> {
    const bin = join(this.home, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'sessionctl'), `#!/bin/sh\nexec "${process.execPath}" "${SESSIONCTL}" "$@"\n`);
    chmodSync(join(bin, 'sessionctl'), 0o755);
    return { PATH: `${bin}:${process.env.PATH}`, SESSIOND_HOME: this.home };
  }

  /** Runs `sessionctl --home HOME …args` to completion (it never needs a terminal); `input` is its stdin. */
  async cli(args: readonly string[], options: { cwd?: string; home?: string; input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
    if (this.closed) throw new Error('sessionctl run after teardown');
    const subprocess = execa(process.execPath, [SESSIONCTL, '--home', options.home ?? this.home, ...args], {
      reject: false,
      timeout: 60_000,
      cwd: options.cwd,
      env: options.env,
      ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    });
    this.running.add(subprocess);
    const result = await subprocess.finally(() => this.running.delete(subprocess));
    this.noteDaemon();
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  }

  /** Runs a command that must succeed and parses its --json output. */
  async json<T>(args: readonly string[]): Promise<T> {
    const result = await this.cli([...args, '--json']);
    if (result.exitCode !== 0) throw new Error(`sessionctl ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  async create(args: readonly string[] = []): Promise<SessionInfo> {
    const session = await this.json<SessionInfo>(['create', ...args]);
    this.noteSession(session);
    return session;
  }

  /** Waits until the session's children all run again after a kill. */
  async waitRestarted(id: string): Promise<SessionInfo> {
    return waitFor(async () => {
      const session = await this.json<SessionInfo>(['info', id]);
      this.noteSession(session);
      return session.restarts > 0 && session.children.every((c) => c.status === 'running') ? session : null;
    }, `session ${id} to restart its child`);
  }

  daemonPid(): number | null {
    try {
      return Number(readFileSync(join(this.home, 'sessiond.pid'), 'utf8').trim()) || null;
    } catch {
      return null;
    }
  }

  /** Records the daemon and every process under it, so teardown can prove them gone. */
  noteDaemon(): void {
    const pid = this.daemonPid();
    if (pid === null) return;
    this.seen.add(pid);
    for (const descendant of runningDescendants(pid)) this.seen.add(descendant);
  }

  noteSession(session: SessionInfo): void {
    if (session.supervisorPid) this.seen.add(session.supervisorPid);
    for (const child of session.children) if (child.pid) this.seen.add(child.pid);
  }

  /**
   * Stops the daemon (bounded), then fails naming any pid this test saw that still runs. A
   * test that timed out may still have commands running, which could start a daemon again:
   * they are killed first, and any daemon of this state dir found in /proc is stopped too.
   */
  async teardown(): Promise<void> {
    try {
      for (const subprocess of this.running) subprocess.kill('SIGKILL');
      await Promise.allSettled([...this.running]);
      this.noteDaemon();
      await this.cli(['daemon', 'stop']);
      this.closed = true;
      for (const pid of daemonsOf(this.home)) {
        for (const p of [pid, ...runningDescendants(pid)]) this.seen.add(p);
        process.kill(pid, 'SIGTERM');
      }
      await expectAllGone([...this.seen], 8000);
    } finally {
      killAll(this.seen);
      await removeCgroupsOf(this.home);
      this.cleanupDir();
      open.delete(this);
    }
  }
}

export { expectAllGone, waitFor };

/** Running sessiond processes started for `home`, found from /proc. */
export function daemonsOf(home: string): number[] {
  return allStats()
    .filter(runs)
    .map((s) => s.pid)
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv.some((a) => a.endsWith('sessiond.js')) && argv.some((a) => a === home || a.startsWith(`${home}/`));
      } catch {
        return false;
      }
    });
}
