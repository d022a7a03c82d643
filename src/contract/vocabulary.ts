// No imports: zod schemas, the supervisor's hand checks and the types all derive from these.

/** The contract's words, each declared once. */
export const SESSION_STATUSES = ['initializing', 'active', 'idle', 'paused', 'terminating', 'terminated'] as const;
export const CHILD_STATUSES = ['starting', 'running', 'restarting', 'stopping', 'stopped'] as const;
export const STRATEGIES = ['one_for_one', 'one_for_all', 'rest_for_one'] as const;
export const RESTART_TYPES = ['permanent', 'transient', 'temporary'] as const;

export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type ChildStatus = (typeof CHILD_STATUSES)[number];
export type Strategy = (typeof STRATEGIES)[number];
export type RestartType = (typeof RESTART_TYPES)[number];
export const AUTO_SHUTDOWN = ['never', 'any_significant', 'all_significant'] as const;
export const BACKOFF = ['none', 'exponential'] as const;

export type AutoShutdown = (typeof AUTO_SHUTDOWN)[number];
export type Backoff = (typeof BACKOFF)[number];
