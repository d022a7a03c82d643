import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { CHILD_NAME_PATTERN, SESSION_ID_PATTERN } from '../contract/ids.js';
import type { SessionInfo } from '../contract/session.js';
import { childSpecInput } from '../contract/spec.js';
import { durationMs } from '../contract/durations.js';
import type { PublishedMessage } from '../manager/message-log.js';

// The methods of live sessions (children administered at run time, send, messages), spread into protocol.ts's PARAMS.

/** A session id as every method's params take it (declared once: protocol.ts uses it too). */
export const sessionId = z.string().regex(SESSION_ID_PATTERN, `must be a session id matching ${SESSION_ID_PATTERN.source}`);
const childName = z.string().regex(CHILD_NAME_PATTERN, `must be a child name matching ${CHILD_NAME_PATTERN.source}`);
const byChild = z.strictObject({ id: sessionId, name: childName });

export const LIVE_PARAMS = {
  'session-restart': z.strictObject({ id: sessionId }),
  // `cwd`: the client's working directory, which relative `file` and `cwd` of the child resolve against.
  'child-add': z.strictObject({
    id: sessionId,
    child: childSpecInput,
    cwd: z.string().refine(isAbsolute, { message: 'must be an absolute path' }).optional(),
  }),
  'child-stop': byChild,
  'child-restart': byChild,
  'child-remove': byChild,
  // A body past 1 MiB never gets here: the request line holding it is over the socket's 1 MiB limit.
  send: z.strictObject({
    id: sessionId,
    child: childName.optional(),
    timeoutMs: durationMs(1).optional(),
    body: z.unknown().refine((body) => body !== undefined, { message: 'is required: the JSON to deliver to the child' }),
  }),
  messages: z.strictObject({
    session: sessionId.optional(),
    follow: z.boolean().default(false),
  }),
} as const;

/** What the live methods answer: the session as it is after the change, a child's reply, the kept messages. */
export interface LiveResults {
  'session-restart': SessionInfo;
  'child-add': SessionInfo;
  'child-stop': SessionInfo;
  'child-restart': SessionInfo;
  'child-remove': SessionInfo;
  send: SendResult;
  /** Without follow, the kept messages, oldest first; with follow, each message is a partial and this never comes. */
  messages: PublishedMessage[];
}

export interface SendResult {
  readonly reply: unknown;
}

export type { PublishedMessage };
