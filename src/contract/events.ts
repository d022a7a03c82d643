/** Lifecycle event types of the contract. */
export const EVENT_TYPES = [
  'session.created',
  'session.active',
  'session.idle',
  'session.terminating',
  'session.terminated',
  'session.crashed',
  'session.resurrected',
  'session.paused',
  'session.resumed',
  'session.expired',
  'child.started',
  'child.exited',
  'child.restarted',
  'child.hung',
  'child.added',
  'child.stopped',
  'child.removed',
  'supervisor.gave_up',
  'exec.started',
  'exec.exited',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** An event as the manager emits it; the store adds `seq` when it persists it. */
export interface SessionEvent {
  readonly at: string;
  readonly session: string;
  readonly type: EventType;
  readonly [field: string]: unknown;
}

export interface StoredEvent extends SessionEvent {
  readonly seq: number;
}
