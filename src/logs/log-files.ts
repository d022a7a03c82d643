import { statSync, watch } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** The last `count` lines of a log, reaching into its rotated `.1` when the current file is short. */
export async function readLastLines(path: string, count: number): Promise<string[]> {
  const lines: string[] = [];
  for (const file of [path, `${path}.1`]) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const fileLines = text.split('\n');
    if (fileLines.at(-1) === '') fileLines.pop();
    lines.unshift(...fileLines);
    if (lines.length >= count) break;
  }
  return count > 0 ? lines.slice(-count) : [];
}

/**
 * Calls `onText` with what is appended to the log from now on, until `signal` aborts. Watches
 * the folder rather than the file, so a rotation (rename, new file) is seen: the new file is
 * then read from its start.
 */
export function followLog(path: string, onText: (text: string) => void, signal: AbortSignal): Promise<void> {
  let offset = sizeOf(path);
  let reading: Promise<void> = Promise.resolve();
  const readMore = () =>
    (reading = reading.then(async () => {
      const size = sizeOf(path);
      if (size < offset) offset = 0; // rotated: a new file
      if (size === offset) return;
      const handle = await open(path, 'r').catch(() => null);
      if (!handle) return;
      try {
        const buffer = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        offset += bytesRead;
        if (bytesRead && !signal.aborted) onText(buffer.subarray(0, bytesRead).toString('utf8'));
      } finally {
        await handle.close();
      }
    }));
  return new Promise((resolve) => {
    const watcher = watch(dirname(path), { signal }, (_event, name) => {
      if (name === basename(path)) void readMore();
    });
    watcher.on('error', () => resolve());
    watcher.on('close', () => resolve());
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
