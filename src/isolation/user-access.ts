import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { SessiondError } from '../contract/errors.js';
import type { IsolationState } from '../contract/isolation.js';
import type { SessionSpec } from '../contract/spec.js';

/**
 * Whether `uid`/`gid` (with no supplementary group) may do `want` (4 read, 1 search/execute) on
 * `path`, and search every folder above it, by the mode bits the kernel checks (no ACLs). Pure
 * but for stat.
 */
export function userMay(path: string, user: { uid: number; gid: number }, want: number): boolean {
  const allowed = (p: string, bits: number) => {
    const stat = statSync(p, { throwIfNoEntry: false });
    if (!stat) return false;
    const shift = stat.uid === user.uid ? 6 : stat.gid === user.gid ? 3 : 0;
    return ((stat.mode >> shift) & bits) === bits;
  };
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (!allowed(dir, 1)) return false;
    if (dirname(dir) === dir) break;
  }
  return allowed(path, want);
}

/** An isolated session's children must be able to enter their cwd and read their module: else the create fails, saying which. */
export function assertUserCanRun(spec: SessionSpec, user: Pick<IsolationState, 'uid' | 'gid'>): void {
  for (const child of spec.children) {
    if (!userMay(child.cwd, user, 1)) {
      throw new SessiondError('invalid_params', `child ${child.name}: the session's user (uid ${user.uid}) cannot enter ${child.cwd}: give a --cwd it may enter (o+x on it and every folder above), or leave --cwd out to run in the session's work dir`);
    }
    if (child.file !== undefined && !userMay(child.file, user, 4)) {
      throw new SessiondError('invalid_params', `child ${child.name}: the session's user (uid ${user.uid}) cannot read ${child.file}: make it readable by others (o+r, and o+x on every folder above), or copy it somewhere it can`);
    }
  }
}
