import { closeSync, openSync } from 'node:fs';
import type { SessionCgroup } from '../cgroup/index.js';
import { newSessionId } from '../contract/ids.js';
import type { ChildSpec } from '../contract/spec.js';
import type { FromSupervisor } from '../ipc/supervisor-messages.js';
import { caCertsMovedAside } from '../process/ca-certs-env.js';
import { entryPath, SUPERVISOR_NODE_ARGS } from '../process/entries.js';
import { readStat } from '../process/proc.js';
import { spawnProcess, type Spawned } from '../process/spawn.js';
import { killProcess } from '../process/stop.js';
import type { SpareGroups } from './spare-groups.js';

/** A spare as `daemon status --json` lists it. */
export interface SpareInfo {
  readonly supervisorPid: number;
  readonly placeholderPid: number | null;
}

/** A supervisor started ahead of need, with its session's id reserved, its Placeholder spawned, and its cgroup if it has one. */
export interface Spare {
  readonly id: string;
  readonly proc: Spawned;
  placeholderPid: number | null;
  readonly group: SessionCgroup | null;
  /** The /proc start time of its supervisor and its Placeholder by pid, read while it idles: the session pins them without a read. */
  readonly startTimes: Map<number, number | null>;
}

/** Spares of a kind of their own: spawned for a reserved session id; `dropped` once one is gone untaken. */
export interface SpareKind {
  spawn(id: string): Spawned;
  dropped(id: string): void;
}

/** Spares are refilled once creates have paused this long: after a burst, never in front of one. */
export const REFILL_AFTER_MS = 250;

/**
 * Spare sessions: a create without children of its own takes a whole spare (a supervisor whose
 * Placeholder has loaded and waits for its init), so it costs no Node start-up at all; any other
 * create takes a spare's supervisor alone, which stops the spare Placeholder. A spare keeps
 * nothing alive (unref'd), exits with its parent, and is replaced when it dies.
 */
export class SupervisorPool {
  private readonly spares = new Set<Spare>();
  private closed = false;
  private refillTimer: NodeJS.Timeout | null = null;
  /** Supervisors write to this file directly (an fd, not a pipe through us): rare lines, no handle of ours to keep alive. */
  private readonly log: number;

  constructor(
    private readonly size: number,
    logFile: string,
    /** The Placeholder's spec for a session of that id (cwd: the daemon's; it moves on init). */
    private readonly placeholder: (id: string) => ChildSpec,
    /** How spares of another kind (isolated ones) are spawned, and what goes with one that is dropped untaken. */
    private readonly kind?: SpareKind,
    /** Where spares get their cgroups made ahead (plain spares, when every session gets a group). */
    private readonly groups?: SpareGroups,
  ) {
    this.log = openSync(logFile, 'a', 0o600);
    this.scheduleRefill(0);
  }

  /** A whole spare, its id the new session's; null when none is ready. */
  takeSpare(): Spare | null {
    const spare = [...this.spares].find((s) => s.placeholderPid !== null && !s.proc.hasExited()) ?? null;
    if (spare) this.claim(spare);
    return spare;
  }

  /** A supervisor ready for its init, with its group: a spare's if there is one (its Placeholder is then stopped), else a new one. */
  take(): { proc: Spawned; group: SessionCgroup | null } {
    const spare = [...this.spares].find((s) => !s.proc.hasExited());
    if (spare) {
      this.claim(spare);
      return spare;
    }
    this.scheduleRefill();
    return { proc: setReferenced(this.spawn(newSessionId()), true), group: null };
  }

  /** A spare taken by a session that never started: it goes, with its group. */
  discard(spare: Spare): void {
    void this.end(spare);
  }

  list(): SpareInfo[] {
    return [...this.spares].map((s) => ({ supervisorPid: s.proc.pid, placeholderPid: s.placeholderPid }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.refillTimer) clearTimeout(this.refillTimer);
    const spares = [...this.spares];
    this.spares.clear();
    await Promise.all(spares.map((s) => this.end(s)));
    closeSync(this.log);
  }

  private claim(spare: Spare): void {
    this.spares.delete(spare);
    spare.proc.subprocess.removeAllListeners('message');
    setReferenced(spare.proc, true);
    this.scheduleRefill();
  }

  // Each take pushes the refill back: a burst of creates gets the CPU, the spares come after it.
  private scheduleRefill(delayMs = REFILL_AFTER_MS): void {
    if (this.closed || this.size === 0) return;
    if (this.refillTimer) clearTimeout(this.refillTimer);
    this.refillTimer = setTimeout(() => this.refill(), delayMs).unref();
  }

  private refill(): void {
    this.refillTimer = null;
    while (!this.closed && this.spares.size < this.size) {
      const id = newSessionId();
      let proc: Spawned;
      try {
        proc = setReferenced(this.spawn(id), false);
      } catch {
        return; // no uid left, say: creates go cold, and say why themselves
      }
      // Into its group before its `spare` message: the supervisor forks nothing before it.
      const group = proc.pid > 0 ? (this.groups?.make(id, proc.pid) ?? null) : null;
      const spare: Spare = { id, proc, placeholderPid: null, group, startTimes: startTimesOf([proc.pid]) };
      this.spares.add(spare);
      spare.proc.subprocess.on('message', (message: FromSupervisor) => {
        if (message?.type === 'spare_ready') {
          spare.placeholderPid = message.placeholderPid;
          for (const [pid, startTime] of startTimesOf([message.placeholderPid])) spare.startTimes.set(pid, startTime);
        }
        if (message?.type === 'spare_lost') this.lose(spare);
      });
      void spare.proc.exited.then(() => {
        // A spare that dies is replaced; one taken is the session's business.
        if (!this.spares.delete(spare)) return;
        void this.dropped(spare);
        this.scheduleRefill();
      });
      void spare.proc.subprocess.sendMessage?.({ type: 'spare', spare: { session: spare.id, placeholder: this.placeholder(spare.id), ...(group ? { childrenLeaf: group.childrenLeaf() } : {}) } }).catch(() => undefined);
    }
  }

  // A spare whose Placeholder died untaken is ended here (a taken one has no listener of ours left).
  private lose(spare: Spare): void {
    if (!this.spares.delete(spare)) return;
    void this.end(spare);
    this.scheduleRefill();
  }

  // Untaken: its processes SIGKILLed, then its group and what else goes with it.
  private async end(spare: Spare): Promise<void> {
    // An idle spare keeps no event loop alive; its end must, or a shutdown awaits an exit never seen.
    setReferenced(spare.proc, true);
    await killProcess(spare.proc, spare.placeholderPid === null ? [] : [spare.placeholderPid], { session: spare.id });
    await this.dropped(spare);
  }

  private async dropped(spare: Spare): Promise<void> {
    if (spare.group) await this.groups?.drop(spare.group);
    this.kind?.dropped(spare.id);
  }

  private spawn(id: string): Spawned {
    if (this.kind) return this.kind.spawn(id);
    return spawnProcess({ file: entryPath('session-supervisor') }, { stdout: this.log, stderr: this.log, nodeArgs: SUPERVISOR_NODE_ARGS, env: caCertsMovedAside() });
  }
}

// Read once a process exists. The supervisor is our child, so its pid is ours until we reap it; the
// Placeholder is the supervisor's: if it dies, the spare is lost (spare_lost) and its pid would have
// to come round the whole pid space before a create's fresh Placeholder could take it again.
function startTimesOf(pids: readonly number[]): Map<number, number | null> {
  return new Map(pids.filter((pid) => pid > 0).map((pid) => [pid, readStat(pid)?.startTime ?? null]));
}

function setReferenced(proc: Spawned, referenced: boolean): Spawned {
  const { subprocess } = proc;
  const channel = subprocess.channel as { ref(): void; unref(): void } | null | undefined;
  if (referenced) {
    subprocess.ref();
    channel?.ref();
  } else {
    subprocess.unref();
    channel?.unref();
  }
  return proc;
}
