/**
 * The supervisor ↔ child channel. Kept free of imports: the Placeholder and every user child
 * load this, and each import costs every session's start-up.
 */

export interface ChildInit {
  readonly session: string;
  readonly name: string;
  readonly metadata: Record<string, unknown>;
  readonly llmConfig: Record<string, unknown>;
  readonly heartbeatMs: number;
  /** Where the child runs: a spare Placeholder, spawned before its session, moves there on init. */
  readonly cwd?: string;
}

/** Supervisor → child. */
export type ToChild =
  | { readonly type: 'sessiond:init'; readonly init: ChildInit }
  | { readonly type: 'sessiond:ping'; readonly seq: number }
  | { readonly type: 'sessiond:shutdown' }
  /** A `send` from a client: the child's onMessage handler answers it with a reply of the same id. */
  | { readonly type: 'sessiond:call'; readonly id: number; readonly body: unknown };

/** Child → supervisor. */
export type FromChild =
  | { readonly type: 'sessiond:ready' }
  | { readonly type: 'sessiond:pong'; readonly seq: number }
  | { readonly type: 'sessiond:activity'; readonly detail?: string }
  | { readonly type: 'sessiond:reply'; readonly id: number; readonly body?: unknown; readonly error?: string }
  | { readonly type: 'sessiond:publish'; readonly topic: string; readonly data: unknown }
  /** The child has an onMessage handler: it answers calls. */
  | { readonly type: 'sessiond:serves' };

const FROM_CHILD_TYPES = new Set(['sessiond:ready', 'sessiond:pong', 'sessiond:activity', 'sessiond:reply', 'sessiond:publish', 'sessiond:serves']);
const TO_CHILD_TYPES = new Set(['sessiond:init', 'sessiond:ping', 'sessiond:shutdown', 'sessiond:call']);

/** Children may send messages of their own on the channel; only ours are acted upon. */
export function isFromChild(message: unknown): message is FromChild {
  return (
    typeof message === 'object' &&
    message !== null &&
    FROM_CHILD_TYPES.has((message as { type?: unknown }).type as string)
  );
}

export function isToChild(message: unknown): message is ToChild {
  return TO_CHILD_TYPES.has((message as { type?: unknown } | null)?.type as string);
}
