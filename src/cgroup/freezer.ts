import { setTimeout as sleep } from 'node:timers/promises';
import { SessiondError } from '../contract/errors.js';
import { errnoOf, keyedValue, readText, writeValue } from './cgroup-fs.js';

/** True when every process of the group is frozen (v2 cgroup.events `frozen 1`, v1 freezer.state FROZEN). */
export function isFrozen(dir: string, via: 'v2' | 'v1'): boolean {
  return via === 'v2' ? keyedValue(`${dir}/cgroup.events`, 'frozen') === 1 : readText(`${dir}/freezer.state`)?.trim() === 'FROZEN';
}

/**
 * Freezes a group and resolves once the kernel reports it frozen: a process is stopped only then
 * (v1 reads FREEZING until the last task is caught; v2 sets `frozen 1` in cgroup.events). One
 * that does not freeze within timeoutMs (stuck in uninterruptible sleep) is thawed again, so a
 * failed pause leaves the session running, and the error says so.
 */
export async function freezeGroup(dir: string, via: 'v2' | 'v1', timeoutMs = 2000): Promise<void> {
  const request = (): void => setState(dir, via, true);
  request();
  const deadline = Date.now() + timeoutMs;
  while (!isFrozen(dir, via)) {
    if (Date.now() > deadline) {
      await thawGroup(dir, via, timeoutMs).catch(() => {});
      throw new SessiondError('internal', `cgroup ${dir} did not freeze within ${timeoutMs} ms (a process in uninterruptible sleep?); it was thawed again, try the pause later`);
    }
    await sleep(2);
    // v1: writing FROZEN again retries the tasks that were busy (the kernel's freezer doc says so).
    if (via === 'v1') request();
  }
}

/** Thaws a group and resolves once it no longer reads frozen. */
export async function thawGroup(dir: string, via: 'v2' | 'v1', timeoutMs = 2000): Promise<void> {
  setState(dir, via, false);
  const deadline = Date.now() + timeoutMs;
  while (via === 'v2' ? isFrozen(dir, via) : readText(`${dir}/freezer.state`)?.trim() !== 'THAWED') {
    if (Date.now() > deadline) throw new SessiondError('internal', `cgroup ${dir} did not thaw within ${timeoutMs} ms`);
    await sleep(2);
  }
}

function setState(dir: string, via: 'v2' | 'v1', frozen: boolean): void {
  const [file, value] = via === 'v2' ? ['cgroup.freeze', frozen ? '1' : '0'] : ['freezer.state', frozen ? 'FROZEN' : 'THAWED'];
  try {
    writeValue(`${dir}/${file}`, value);
  } catch (error) {
    throw new SessiondError('internal', `cannot ${frozen ? 'freeze' : 'thaw'} cgroup ${dir}: ${errnoOf(error)}`, { cause: error });
  }
}
