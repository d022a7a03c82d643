import { statSync } from 'node:fs';
import { statePaths } from '../contract/paths.js';

/**
 * What of the state dir others than its owner may read: the store holds every session's llm
 * config (api keys: a resurrection needs them), the logs what children printed. One line for
 * each, saying how to close it; none when all is 0700/0600 (as sessiond makes them). Pure but
 * for stat.
 */
export function exposureWarnings(home?: string): string[] {
  const paths = statePaths(home);
  const warnings: string[] = [];
  for (const [path, what, mode] of [
    [paths.home, 'the state dir', '700'],
    [paths.store, 'the store (llm configs, api keys included)', '600'],
    [`${paths.store}-wal`, 'the store\'s write-ahead log (llm configs, api keys included)', '600'],
    [paths.logDir, 'the logs', '700'],
  ] as const) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat || (stat.mode & 0o077) === 0) continue;
    warnings.push(`warning: ${what} ${path} can be read by others than its owner (mode ${(stat.mode & 0o777).toString(8)}): chmod ${mode} ${path}`);
  }
  return warnings;
}

/** Why the state dir cannot be one (a file stands at its path or on the way to it), or null. */
export function stateDirProblem(home?: string): string | null {
  const { home: dir } = statePaths(home);
  try {
    const stat = statSync(dir, { throwIfNoEntry: false });
    return !stat || stat.isDirectory() ? null : `the state dir ${dir} is not a directory: give --home a directory (sessiond makes it if missing)`;
  } catch (error) {
    return `the state dir ${dir} cannot be used (${(error as NodeJS.ErrnoException).code ?? String(error)}): give --home a directory (sessiond makes it if missing)`;
  }
}
