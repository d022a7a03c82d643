import { renameSync, rmSync } from 'node:fs';

/** The rotated files of a log, newest first: `path.1` … `path.N`. */
export function rotatedFiles(path: string, files: number): string[] {
  return Array.from({ length: files }, (_, i) => `${path}.${i + 1}`);
}

/**
 * Moves a log aside as logrotate does: `.N-1` → `.N` (the oldest is dropped), …, `path` → `.1`.
 * With `files` 0 the log is removed. A file missing on the way is skipped.
 */
export function rotateFiles(path: string, files: number): void {
  if (files === 0) return rmSync(path, { force: true });
  const names = [path, ...rotatedFiles(path, files)];
  for (let i = names.length - 1; i > 0; i--) {
    try {
      renameSync(names[i - 1]!, names[i]!);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
