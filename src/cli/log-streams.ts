import type { SessionClient } from '../control/client.js';
import type { FollowOptions } from '../control/follow.js';
import type { LogEntry } from '../logs/log-records.js';
import type { LogPrinter } from './log-printer.js';

export interface EntriesOptions extends FollowOptions {
  readonly lines: number;
  readonly follow: boolean;
}

/**
 * The logs of several children of a session, as one: their last `lines` lines merged by the
 * time they were captured, then (follow) what each prints next, as it comes. Each child is a
 * stream of its own, which rides out a daemon restart on its own; what one prints before the
 * others' tails are in waits for them.
 */
export async function printEntries(client: SessionClient, id: string, children: readonly string[], options: EntriesOptions, printer: LogPrinter, signal: AbortSignal): Promise<void> {
  const tails = new Map<string, readonly LogEntry[]>();
  const early: [string, readonly LogEntry[]][] = [];
  let merged = false;
  const mergeTails = () => {
    const all = children.flatMap((child) => tails.get(child)!.map((entry) => [child, entry] as const));
    // A stable sort: each child's lines are in order already, and lines of the same millisecond keep theirs.
    all.sort(([, a], [, b]) => (a.at ?? '').localeCompare(b.at ?? ''));
    for (const [child, entry] of options.lines > 0 ? all.slice(-options.lines) : []) printer.print(child, [entry]);
    merged = true;
    for (const [child, entries] of early.splice(0)) printer.print(child, entries);
  };
  const deliver = (child: string) => (entries: readonly LogEntry[], tail: boolean) => {
    if (!tail) return merged ? printer.print(child, entries) : void early.push([child, entries]);
    tails.set(child, entries);
    if (tails.size === children.length) mergeTails();
  };
  const stop = new AbortController();
  const abort = () => stop.abort();
  signal.addEventListener('abort', abort, { once: true });
  const streamOptions = { ...options, ...quietNotices(options.onNotice) };
  try {
    await Promise.all(
      children.map((child) =>
        client.logEntries(id, { ...streamOptions, child }, deliver(child), stop.signal).catch((error: unknown) => {
          stop.abort(); // one child's stream failed: the others end too
          throw error;
        }),
      ),
    );
  } finally {
    signal.removeEventListener('abort', abort);
    printer.end();
  }
}

// Every stream tells of the same daemon restart: one notice for a person is enough.
function quietNotices(onNotice: ((notice: string) => void) | undefined): { onNotice?: (notice: string) => void } {
  if (!onNotice) return {};
  let last: string | null = null;
  return {
    onNotice: (notice) => {
      if (notice !== last) onNotice(notice);
      last = notice;
    },
  };
}
