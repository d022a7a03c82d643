import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning, runningDescendants } from '../../src/process/proc.js';

export { isRunning, runningDescendants };

/** A process's environment as it was started (`/proc/PID/environ`), one `NAME=value` each. */
export function environ(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws `what`). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000, intervalMs = 20): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves once none of the pids runs (zombies count as gone); throws naming the survivors. */
export async function expectAllGone(pids: readonly number[], timeoutMs = 3000): Promise<number> {
  const start = Date.now();
  await waitFor(() => pids.every((pid) => !isRunning(pid)), `pids ${pids.filter(isRunning).join(', ')} to be gone`, timeoutMs, 10);
  return Date.now() - start;
}

/** A temporary state dir per test, removed afterwards. */
export function tempHome(prefix = 'sessiond-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** SIGKILLs whatever pids are still running: the last line of defence of a test's cleanup. */
export function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
