import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Reads and writes of cgroupfs. Every file is opened, used and closed in one call: the daemon
 * holds no descriptor into a group, so nothing of ours keeps a removed group alive.
 */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Writes one value; the kernel takes or refuses it on this write, with an errno. */
export function writeValue(path: string, value: string | number): void {
  writeFileSync(path, String(value));
}

/** The pids listed in a group's cgroup.procs; none when the group is gone. */
export function procsOf(dir: string): number[] {
  const text = readText(`${dir}/cgroup.procs`);
  return text ? text.split('\n').filter(Boolean).map(Number) : [];
}

/** A `key value` line of a flat-keyed file (cpu.stat, memory.events, memory.stat, memory.oom_control). */
export function keyedValue(path: string, key: string): number | null {
  const text = readText(path);
  const match = text === null ? null : new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

export function numberIn(path: string): number | null {
  const text = readText(path)?.trim();
  return text && /^\d+$/.test(text) ? Number(text) : null;
}

/** Creates a group; true when it was made now, false when it was already there. */
export function makeGroup(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    throw error;
  }
}

/** The child groups of a group (its subdirectories; interface files are not directories). */
export function childGroups(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

export function interfaceFiles(dir: string): Set<string> {
  return new Set(readdirSync(dir));
}

/**
 * Removes a group: true once it is gone (or was). The kernel refuses (EBUSY) while a process
 * is still leaving it, so a busy group is retried until timeoutMs; then false, never a throw.
 */
export async function removeGroup(dir: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      rmdirSync(dir);
      return true;
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'ENOENT') return true;
      if ((code !== 'EBUSY' && code !== 'ENOTEMPTY') || Date.now() > deadline) return false;
    }
    await sleep(10);
  }
}

/** Removes a group that holds no process (a probe); whatever fails is left to a later sweep. */
export function removeGroupSync(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // gone already, or busy: the parent's sweep takes it
  }
}

export function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}
