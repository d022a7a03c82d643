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
}

/** Supervisor → child. */
export type ToChild =
  | { readonly type: 'sessiond:init'; readonly init: ChildInit }
  | { readonly type: 'sessiond:ping'; readonly seq: number }
  | { readonly type: 'sessiond:shutdown' };

/** Child → supervisor. */
export type FromChild =
  | { readonly type: 'sessiond:ready' }
  | { readonly type: 'sessiond:pong'; readonly seq: number }
  | { readonly type: 'sessiond:activity'; readonly detail?: string };

const FROM_CHILD_TYPES = new Set(['sessiond:ready', 'sessiond:pong', 'sessiond:activity']);

/** Children may send messages of their own on the channel; only ours are acted upon. */
export function isFromChild(message: unknown): message is FromChild {
  return (
    typeof message === 'object' &&
    message !== null &&
    FROM_CHILD_TYPES.has((message as { type?: unknown }).type as string)
  );
}

export function isToChild(message: unknown): message is ToChild {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'sessiond:init' || type === 'sessiond:ping' || type === 'sessiond:shutdown';
}
