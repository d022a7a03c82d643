import type { FollowOptions } from '../control/follow.js';

/**
 * How a CLI follower rides out a daemon restart: its notices go to stderr (stdout stays the
 * stream's), and SESSIONCTL_RECONNECT_MS, if set, replaces the 30 s it waits for the daemon.
 */
export function followOptions(): FollowOptions {
  const onNotice = (notice: string) => void process.stderr.write(`sessionctl: ${notice}\n`);
  const wait = process.env.SESSIONCTL_RECONNECT_MS;
  const reconnectMs = wait === undefined || wait.trim() === '' ? NaN : Number(wait);
  return Number.isFinite(reconnectMs) && reconnectMs >= 0 ? { onNotice, reconnectMs } : { onNotice };
}
