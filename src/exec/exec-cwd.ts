import { resolve } from 'node:path';
import type { SessionSpec } from '../contract/spec.js';

/**
 * Where an exec runs: `cwd` (relative to the session's) or the session's own: its first child's
 * cwd (the creating client's, unless the spec chose one). Isolation puts its work dir here.
 */
export function execCwd(spec: SessionSpec, cwd: string | undefined): string {
  const sessionCwd = spec.children[0]?.cwd ?? '/';
  return cwd === undefined ? sessionCwd : resolve(sessionCwd, cwd);
}
