import { mkdirSync, statSync } from 'node:fs';
import { SessiondError } from '../contract/errors.js';

/**
 * Creates the state dir (0700) and its logs/, or checks an existing one: it holds the control
 * socket, so a dir another user owns or can write to would hand them our sessions.
 */
export function ensureStateDir(home: string, logDir: string): void {
  try {
    mkdirSync(home, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new SessiondError('internal', `cannot create state dir ${home}: ${(error as Error).message}`, { cause: error });
  }
  const stat = statSync(home);
  if (!stat.isDirectory()) throw new SessiondError('invalid_params', `state dir ${home} exists and is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new SessiondError('invalid_params', `refusing state dir ${home}: it is owned by uid ${stat.uid}, not by you (uid ${uid}); use your own --home`);
  }
  if (stat.mode & 0o022) {
    const mode = (stat.mode & 0o777).toString(8);
    throw new SessiondError('invalid_params', `refusing state dir ${home}: mode ${mode} lets others write to it; run 'chmod 700 ${home}'`);
  }
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
}
