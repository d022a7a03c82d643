import { DEFAULTS } from '../contract/spec.js';

/** What a heartbeat found: the session idle too long, its supervisor hung, or a ping to send (and whether it went quiet). */
export type Beat =
  | { readonly kind: 'idle_timeout'; readonly ms: number }
  | { readonly kind: 'hung'; readonly reason: string }
  | { readonly kind: 'ping'; readonly quiet: boolean };

/**
 * A session's timers and the clocks they read: the start timeout until the supervisor is ready,
 * then the heartbeat, which counts unanswered pings and the time since the last activity. It
 * decides nothing about the session's status: the runtime turns each beat into an input.
 */
export class SessionClock {
  private lastActivity = Date.now();
  private missedPongs = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private startTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: { readonly heartbeatMs: number; readonly idleTimeoutMs: number }) {}

  /** Catches a supervisor that never says ready. */
  watchStart(ms: number, onTimeout: () => void): void {
    this.startTimer = setTimeout(onTimeout, ms);
  }

  /** The supervisor is up: the start timeout gives way to the heartbeat. */
  startBeating(onBeat: () => void): void {
    this.clear();
    this.lastActivity = Date.now();
    this.heartbeat = setInterval(onBeat, this.options.heartbeatMs);
  }

  activity(): void {
    this.lastActivity = Date.now();
  }

  pong(): void {
    this.missedPongs = 0;
  }

  /** After a pause: the idle clock goes on where it stood, and pings unanswered while paused do not count. */
  resumed(pausedMs: number): void {
    this.lastActivity += pausedMs;
    this.missedPongs = 0;
  }

  /** One heartbeat: counts the ping it asks for as unanswered until its pong. */
  beat(idleMs: number | null): Beat {
    const quietFor = Date.now() - this.lastActivity;
    if (idleMs !== null && quietFor >= idleMs) return { kind: 'idle_timeout', ms: idleMs };
    if (++this.missedPongs > DEFAULTS.missedHeartbeats) return { kind: 'hung', reason: `supervisor hung: no pong for ${DEFAULTS.missedHeartbeats} heartbeats` };
    return { kind: 'ping', quiet: quietFor > this.options.idleTimeoutMs };
  }

  clear(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.startTimer) clearTimeout(this.startTimer);
    this.heartbeat = this.startTimer = null;
  }
}
