import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * Where a command would be found, as execvp looks (PATH, or a path with a slash from cwd); null
 * when it would not. A child that enters its cgroup through a shell is spawned as that shell, so
 * a missing program is found out here, where spawn itself would have (ENOENT, exit 127).
 */
export function findProgram(command: string, path: string | undefined, cwd: string | undefined): string | null {
  if (command.includes('/')) return runnable(isAbsolute(command) ? command : resolve(cwd ?? process.cwd(), command));
  for (const dir of (path ?? '').split(delimiter)) {
    const found = dir ? runnable(join(isAbsolute(dir) ? dir : resolve(cwd ?? process.cwd(), dir), command)) : null;
    if (found) return found;
  }
  return null;
}

function runnable(file: string): string | null {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}
