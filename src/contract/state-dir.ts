import { join, resolve } from 'node:path';

/** The contract's order: --home, then SESSIOND_HOME, then $XDG_STATE_HOME/sessiond, then ~/.local/state/sessiond. */
export function resolveStateDir(home?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (home) return resolve(home);
  if (env.SESSIOND_HOME) return resolve(env.SESSIOND_HOME);
  if (env.XDG_STATE_HOME) return join(resolve(env.XDG_STATE_HOME), 'sessiond');
  // $HOME is what os.homedir() says when it is set; node:os costs a `sessionctl exec` ~0.5 ms.
  return join(env.HOME || process.getBuiltinModule('node:os').homedir(), '.local', 'state', 'sessiond');
}
