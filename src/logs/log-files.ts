import { statSync, watch, type Stats } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { decodeRecords, joinLines, type LogEntry } from './log-records.js';

/** A place in a log: the file (by fileId: a rotation renames it, a new file gets another) and a byte offset in it. */
export interface LogPosition {
  /** null: no file in particular (there was none yet): the start of the one there is. */
  readonly fileId: string | null;
  readonly offset: number;
}

/** The last `count` lines of a log, as the child printed them, reaching into its rotated `.1` … `.N`. */
export async function readLastLines(path: string, count: number): Promise<string[]> {
  return (await readTail(path, count)).lines;
}

export interface LogTail {
  /** The last lines, each with its capture time and stream (log-records.ts). */
  readonly entries: LogEntry[];
  /** The same lines' text. */
  readonly lines: string[];
  /** Just past those lines: where a follower starts. */
  readonly position: LogPosition;
}

/** As readLastLines, with stamps and streams, and the position a follower starts from. */
export async function readTail(path: string, count: number): Promise<LogTail> {
  const current = await readFrom(path, 0);
  let entries = decodeRecords(current?.text ?? '');
  // Older files while the lines are too few, and one line more: the first may have begun in the file before.
  for (let n = 1; count > 0 && joinLines(entries).length <= count; n++) {
    const older = await readFile(`${path}.${n}`, 'utf8').catch(() => null);
    if (older === null) break;
    entries = [...decodeRecords(older), ...entries];
  }
  const lines = count > 0 ? joinLines(entries).slice(-count) : [];
  return { entries: lines, lines: lines.map((l) => l.text), position: { fileId: current?.fileId ?? null, offset: current?.end ?? 0 } };
}

/**
 * Whether a follower can go on from `from` without a gap: the file it was in is still the log,
 * or its rotated `.1`, and no shorter than the offset (a truncation or a replacement loses text).
 */
export function canResume(path: string, from: LogPosition): boolean {
  if (from.fileId === null) return from.offset === 0;
  return [path, `${path}.1`].some((file) => {
    const stat = statOf(file);
    return stat !== null && stat.fileId === from.fileId && stat.size >= from.offset;
  });
}

/**
 * Calls `onText` with what is appended to the log after `from` (default: its end now), with the
 * position past it, until `signal` aborts. Watches the folder rather than the file, so a
 * rotation (rename, new file) is seen: the rest of the rotated file is read, then the new one
 * from its start. A position in a file that is gone resumes at the start of the current one.
 * Once `until` resolves (its writer is gone: the session has ended), the rest is read and the
 * follow ends.
 */
export function followLog(
  path: string,
  onText: (text: string, position: LogPosition) => void,
  stop: AbortSignal,
  from?: LogPosition,
  until?: Promise<void>,
): Promise<void> {
  const done = new AbortController();
  const signal = done.signal;
  stop.addEventListener('abort', () => done.abort(), { once: true });
  if (stop.aborted) done.abort();
  const now = statOf(path);
  let position: LogPosition = from ?? { fileId: now?.fileId ?? null, offset: now?.size ?? 0 };
  const emit = (read: Chunk) => {
    position = { fileId: read.fileId, offset: read.end };
    if (!signal.aborted) onText(read.text, position);
  };
  // Everything of `file` after the position, in chunks, while it is the position's file.
  const drain = async (file: string) => {
    for (let read: Chunk | null; !signal.aborted && (read = await readFrom(file, position.offset, position.fileId, CHUNK_BYTES)) && read.text; ) emit(read);
  };
  let reading: Promise<void> = Promise.resolve();
  const readMore = () =>
    (reading = reading.then(async () => {
      const current = statOf(path);
      if (position.fileId !== null && current?.fileId !== position.fileId) {
        if (statOf(`${path}.1`)?.fileId === position.fileId) await drain(`${path}.1`);
        position = { fileId: current?.fileId ?? null, offset: 0 };
      }
      await drain(path);
    }));
  return new Promise((resolve) => {
    const watcher = watch(dirname(path), { signal }, (_event, name) => {
      if (name === basename(path) || name === `${basename(path)}.1`) void readMore();
    });
    watcher.on('error', () => resolve());
    watcher.on('close', () => resolve());
    signal.addEventListener('abort', () => resolve(), { once: true });
    void readMore(); // what came after `from` before the watch began
    void until?.then(() => readMore()).then(() => done.abort());
  });
}

interface Chunk {
  readonly text: string;
  readonly fileId: string;
  readonly end: number;
}

// At most this much per read: a long gap reaches a follower in pieces, each checked against its unread bytes.
const CHUNK_BYTES = 256 * 1024;

/**
 * Reads `file` from `offset` (from its start if it is shorter: truncated), through one handle
 * so that text and file agree; null if it is missing or (`fileId` given) another file now. A
 * read ends at its last newline, so no record (nor character) is split: the rest comes with the
 * next read, once the writer has finished it. Only a read cut at `limit` with no newline at all
 * (an old log's giant line) is given as it is.
 */
async function readFrom(file: string, offset: number, fileId: string | null = null, limit = Infinity): Promise<Chunk | null> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const stat = await handle.stat();
    const { size } = stat;
    if (fileId !== null && idOf(stat) !== fileId) return null;
    const start = size < offset ? 0 : offset;
    const buffer = Buffer.alloc(Math.min(size - start, limit));
    let { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    const newline = bytesRead > 0 ? buffer.lastIndexOf(0x0a, bytesRead - 1) : -1;
    const limited = start + bytesRead < size;
    if (bytesRead > 0 && buffer[bytesRead - 1] !== 0x0a && (newline >= 0 || !limited)) bytesRead = newline + 1;
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), fileId: idOf(stat), end: start + bytesRead };
  } finally {
    await handle.close();
  }
}

function statOf(path: string): { fileId: string; size: number } | null {
  try {
    const stat = statSync(path);
    return { fileId: idOf(stat), size: stat.size };
  } catch {
    return null;
  }
}

// An inode is reused once its file is deleted: with the birth time it names one file.
function idOf(stat: Stats): string {
  return `${stat.ino}.${stat.birthtimeMs}`;
}
