import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { detectCgroups, type DetectOptions } from '../../src/cgroup/detect.js';
import { removeParents, sweepLeftovers } from '../../src/cgroup/sweep.js';
import type { CgroupSupport } from '../../src/cgroup/types.js';
import type { SessionCgroup } from '../../src/cgroup/session-cgroup.js';
import { killAll, tempHome } from '../helpers/proc.js';

/** Why the real-cgroup tests cannot run here, or null when they can (root on Linux with cgroups). */
export const cannotRun: string | null = await (async () => {
  if (process.platform !== 'linux') return 'cgroups are Linux only';
  if (process.getuid?.() !== 0) return 'creating cgroups needs root (or a delegated subtree)';
  const home = tempHome();
  try {
    const support = detectCgroups({ stateDir: home.dir });
    await removeParents(support);
    return support.mode === 'none' ? `this host offers no cgroup: ${support.reason}` : null;
  } finally {
    home.cleanup();
  }
})();

/**
 * A test's cgroups: detection under a state dir of its own (so its parent group is its own),
 * and a cleanup that kills what it started, sweeps and removes every group, and says if any
 * directory was left.
 */
export class CgroupFixture {
  private readonly home = tempHome('sessiond-cgroup-');
  private readonly started: number[] = [];
  private readonly detected: CgroupSupport[] = [];

  detect(options: Omit<DetectOptions, 'stateDir'> = {}): CgroupSupport {
    const support = detectCgroups({ stateDir: this.home.dir, ...options });
    this.detected.push(support);
    return support;
  }

  /** Starts a fixture, puts it into a leaf of the group (the children's by default) before it does anything, then tells it to go. */
  async startIn(group: SessionCgroup, fixture: string, args: string[] = [], leaf: 'children' | 'supervisor' = 'children'): Promise<Started> {
    const child = spawn(process.execPath, [fileURLToPath(new URL(`../fixtures/cgroup/${fixture}`, import.meta.url)), ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.track(child.pid!);
    group.addProcess(child.pid!, leaf);
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.stdin.write('go\n');
    return { child, lines, exited };
  }

  track(pid: number): void {
    this.started.push(pid);
  }

  /** Kills, sweeps and removes everything; returns the directories that were still there. */
  async cleanup(): Promise<string[]> {
    killAll(this.started.splice(0));
    const left: string[] = [];
    for (const support of this.detected.splice(0)) {
      await sweepLeftovers(support);
      await removeParents(support);
      left.push(...Object.values(support.parents).filter((dir) => existsSync(dir)));
    }
    this.home.cleanup();
    return left;
  }
}

export interface Started {
  readonly child: ChildProcessByStdio<Writable, Readable, null>;
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
