import { closeSync, openSync } from 'node:fs';
import { spawnProcess, type Spawned } from '../process/spawn.js';
import { killProcess } from '../process/stop.js';
import { entryPath } from '../process/entries.js';

/**
 * Supervisors spawned ahead of need: a new session takes one that has already loaded, so its
 * start costs one Node start-up (its child's) instead of two. A warm supervisor holds no
 * session until `init` arrives; it keeps nothing alive (unref'd) and exits with its parent.
 */
export class SupervisorPool {
  private readonly warm = new Set<Spawned>();
  private closed = false;
  /** Supervisors write to this file directly (an fd, not a pipe through us): rare lines, no handle of ours to keep alive. */
  private readonly log: number;

  constructor(
    private readonly size: number,
    logFile: string,
  ) {
    this.log = openSync(logFile, 'a', 0o600);
    this.refill();
  }

  /** A supervisor ready for its init: a warm one if there is one, else a new one. */
  take(): Spawned {
    const [proc] = this.warm;
    if (proc) this.warm.delete(proc);
    this.refill();
    const taken = proc ?? this.spawn();
    setReferenced(taken, true);
    return taken;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const warm = [...this.warm];
    this.warm.clear();
    await Promise.all(warm.map((proc) => killProcess(proc)));
    closeSync(this.log);
  }

  private refill(): void {
    // Deferred, so that the session that took a warm supervisor gets the CPU first.
    setImmediate(() => {
      while (!this.closed && this.warm.size < this.size) {
        const proc = this.spawn();
        setReferenced(proc, false);
        this.warm.add(proc);
        void proc.exited.then(() => this.warm.delete(proc));
      }
    });
  }

  private spawn(): Spawned {
    return spawnProcess({ file: entryPath('session-supervisor') }, { stdout: this.log, stderr: this.log });
  }
}

function setReferenced(proc: Spawned, referenced: boolean): void {
  const { subprocess } = proc;
  const channel = subprocess.channel as { ref(): void; unref(): void } | null | undefined;
  if (referenced) {
    subprocess.ref();
    channel?.ref();
  } else {
    subprocess.unref();
    channel?.unref();
  }
}
