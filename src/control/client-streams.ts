import type { StoredEvent } from '../contract/events.js';
import type { RequestChannel } from './connection.js';
import { followAcross, type FollowOptions } from './follow.js';
import type { LogEntry } from '../logs/log-records.js';
import type { LogsResult, LogsText, ParamsInput, Results } from './protocol.js';

/** How a client stream reaches the daemon: its first connection (started if asked), and the socket to come back to. */
export interface StreamTarget {
  readonly open: () => Promise<RequestChannel>;
  readonly socket: string;
}

export interface EventsOptions extends FollowOptions {
  readonly session?: string;
  readonly since?: number;
  /** The last N events (of `session`, if given) instead of those after `since`. */
  readonly lines?: number;
  readonly follow?: boolean;
}

export interface LogsOptions extends FollowOptions {
  readonly child?: string;
  readonly lines?: number;
  readonly follow?: boolean;
}

/** SessionClient.events: a follower resumes after the last seq it delivered, so nothing is lost or repeated across a restart. */
export async function eventsStream(target: StreamTarget, options: EventsOptions, onEvent: (event: StoredEvent) => void, signal?: AbortSignal): Promise<void> {
  let since = options.since ?? 0;
  let delivered = false;
  const deliver = (event: StoredEvent) => {
    since = event.seq;
    delivered = true;
    onEvent(event);
  };
  // `lines` picks where to start; once an event is out, a reconnect goes on after it.
  const start = () => (options.lines === undefined || delivered ? { since } : { lines: options.lines });
  const params = (): ParamsInput<'events'> => ({ ...start(), follow: options.follow ?? false, ...(options.session === undefined ? {} : { session: options.session }) });
  const attempt = async (connection: RequestChannel) => {
    const events = (await connection.request('events', params(), (event) => deliver(event as StoredEvent))) as Results['events'];
    events.forEach(deliver);
  };
  await run(target, attempt, options, signal, () => `resume with --since ${since}`);
}

/** SessionClient.logs: a follower resumes at the byte after the last text it delivered, in the file it was reading. */
export function logsStream(target: StreamTarget, id: string, options: LogsOptions, onText: (text: string) => void, signal?: AbortSignal): Promise<LogsResult> {
  return logStream(target, id, options, false, signal, {
    tail: (logs) => logs.lines.forEach((line) => onText(`${line}\n`)),
    more: (reply) => 'text' in reply && onText(reply.text),
  });
}

/** SessionClient.logEntries: as logsStream, each line (then each piece followed) with its capture time and stream. */
export function logEntriesStream(
  target: StreamTarget,
  id: string,
  options: LogsOptions,
  onEntries: (entries: readonly LogEntry[], tail: boolean) => void,
  signal?: AbortSignal,
): Promise<LogsResult> {
  return logStream(target, id, options, true, signal, {
    tail: (logs) => onEntries(logs.entries ?? [], true),
    more: (reply) => 'entries' in reply && onEntries(reply.entries, false),
  });
}

async function logStream(
  target: StreamTarget,
  id: string,
  options: LogsOptions,
  entries: boolean,
  signal: AbortSignal | undefined,
  deliver: { readonly tail: (logs: LogsResult) => void; readonly more: (reply: LogsText) => void },
): Promise<LogsResult> {
  let result: LogsResult | null = null;
  let position: { offset: number; fileId: string | null } | null = null;
  const opened = (logs: LogsResult) => {
    position = { offset: logs.offset, fileId: logs.fileId };
    if (!result) {
      result = logs;
      deliver.tail(logs);
    } else if (logs.gap) options.onNotice?.(`the log of ${logs.child} was replaced while sessiond was away: going on from its start`);
  };
  const partial = (reply: unknown) => {
    if ('lines' in (reply as object)) return opened(reply as LogsResult);
    const text = reply as LogsText;
    position = { offset: text.offset, fileId: text.fileId };
    deliver.more(text);
  };
  const params = (): ParamsInput<'logs'> => {
    const child = result?.child ?? options.child;
    const which = { entries, ...(child === undefined ? {} : { child }) };
    if (!position) return { id, lines: options.lines ?? 100, follow: options.follow ?? false, ...which };
    const { offset, fileId } = position;
    return { id, ...which, follow: true, lines: 0, offset, ...(fileId === null ? {} : { fileId }) };
  };
  const attempt = async (connection: RequestChannel) => {
    const logs = (await connection.request('logs', params(), partial)) as Results['logs'];
    if (!result) opened(logs);
  };
  await run(target, attempt, options, signal, () => 'run logs --follow again to go on');
  return result!;
}

// A follow outlives its connection; a one-off read is one request, ended early (quietly) by `signal`.
export async function run(
  target: StreamTarget,
  attempt: (connection: RequestChannel) => Promise<void>,
  options: FollowOptions & { readonly follow?: boolean },
  signal: AbortSignal | undefined,
  resumeHint: () => string,
): Promise<void> {
  const connection = await target.open();
  if (options.follow) return followAcross(connection, attempt, { ...options, socket: target.socket, signal, resumeHint });
  const stop = () => connection.close();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await attempt(connection);
  } catch (error) {
    if (!signal?.aborted) throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
    connection.close();
  }
}
