import { chownSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SessiondError, errorMessage } from '../contract/errors.js';

/**
 * Where isolated sessions live on the host, apart from the 0700 state dir that they must not
 * reach: `runtime/` (the bundles their processes run: the state dir's package may sit under a
 * 0700 folder such as /root) and `work/<session id>` (each session's own 0700 folder).
 */
export interface IsolationRoot {
  readonly root: string;
  readonly runtime: string;
  readonly work: string;
}

export function isolationRoot(root: string): IsolationRoot {
  return { root, runtime: join(root, 'runtime'), work: join(root, 'work') };
}

/** Creates root, runtime and work, root-owned 0755 (every session's user must pass through them, none may write). */
export function prepareRoot(root: IsolationRoot): void {
  for (const dir of [root.root, root.runtime, root.work]) {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const stat = statSync(dir);
    if (stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
      throw new SessiondError('start_failed', `${dir} must be owned by root and writable by root alone (it is uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}): remove it or fix its owner and mode`);
    }
  }
}

/** A session's work dir: owned by its user, mode 0700, empty. */
export function makeWorkDir(root: IsolationRoot, session: string, uid: number, gid: number): string {
  const dir = join(root.work, session);
  // A dir left by a session of the same id (kept with --keep-workdir) is its own user's files: start afresh.
  removeWorkDir(dir);
  mkdirSync(dir, { mode: 0o700 });
  chownSync(dir, uid, gid);
  return dir;
}

/** Gives a kept work dir (a resurrection's) back to its user, or makes it anew when it is gone. */
export function reuseWorkDir(dir: string, uid: number, gid: number): void {
  const stat = lstatSync(dir, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) {
    if (stat) rmSync(dir, { force: true });
    mkdirSync(dir, { mode: 0o700 });
  }
  chownSync(dir, uid, gid);
}

/** Removes a work dir and all in it (its user's processes are gone: nothing writes there any more). */
export function removeWorkDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch (error) {
    throw new SessiondError('internal', `could not remove work dir ${dir}: ${errorMessage(error)}`, { cause: error });
  }
}

/** What is in the work root: each entry's name (a session id) and owner. */
export function workDirs(root: IsolationRoot): { name: string; uid: number }[] {
  let names: string[];
  try {
    names = readdirSync(root.work);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const stat = lstatSync(join(root.work, name), { throwIfNoEntry: false });
    return stat ? [{ name, uid: stat.uid }] : [];
  });
}

/** The owners of what is in the work root: a uid that still owns a work dir is not handed out again. */
export function workDirOwners(root: IsolationRoot): Set<number> {
  return new Set(workDirs(root).map((entry) => entry.uid));
}
