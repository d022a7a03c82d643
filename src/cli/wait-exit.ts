import { setTimeout as sleep } from 'node:timers/promises';
import { SessiondError } from '../contract/errors.js';
import { isRunning } from '../process/proc.js';

// Terminates take 5.5 s at most and run in parallel; the daemon then exits at once.
const EXIT_TIMEOUT_MS = 15_000;

/** Waits for the daemon's process to be gone: it is not our child, so /proc is all there is to watch. */
export async function waitForExit(pid: number): Promise<void> {
  const deadline = Date.now() + EXIT_TIMEOUT_MS;
  while (isRunning(pid)) {
    if (Date.now() > deadline) throw new SessiondError('internal', `sessiond (pid ${pid}) ended its sessions but did not exit within ${EXIT_TIMEOUT_MS} ms`);
    await sleep(20);
  }
}
