/** The PATH of an isolated session: the system's, never the daemon's (which may name folders it cannot read). */
export const ISOLATED_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The whole environment of an isolated session's processes, its supervisor included (its children
 * inherit it, with their spec's env over it): nothing of the daemon's or of the shell that
 * started it. Pure.
 */
export function cleanEnv(user: { readonly uid: number; readonly workDir: string }, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const name = `sessiond-${user.uid}`;
  return {
    PATH: ISOLATED_PATH,
    HOME: user.workDir,
    USER: name,
    LOGNAME: name,
    LANG: from.LANG && /^[A-Za-z0-9_.@-]+$/.test(from.LANG) ? from.LANG : 'C.UTF-8',
    TERM: from.TERM && /^[A-Za-z0-9_.+-]+$/.test(from.TERM) ? from.TERM : 'dumb',
  };
}
