import { execFileSync } from 'node:child_process';
import { SessiondError } from '../contract/errors.js';

/** A uid of its own per session needs a daemon that may switch uids: root (CAP_SETUID, CAP_SETGID, CAP_CHOWN). */
export function assertCanSwitchUids(): void {
  if (process.geteuid?.() === 0) return;
  throw new SessiondError(
    'not_supported',
    `isolated sessions need sessiond to run as root (it runs as uid ${process.geteuid?.()}): only root can start each session under a uid of its own. ` +
      'Run the daemon as root (sessionctl daemon install --system), or create the session without --isolate, --read-only and --no-network',
  );
}

let bwrap: string | null | undefined;

/**
 * Whether bubblewrap can make namespaces here: run once (`bwrap … true`) and remembered. Throws,
 * naming what to install or enable, when it cannot.
 */
export function assertBwrap(): void {
  if (bwrap === undefined) bwrap = probeBwrap();
  if (bwrap === null) return;
  throw new SessiondError('not_supported', bwrap);
}

function probeBwrap(): string | null {
  try {
    execFileSync('bwrap', ['--unshare-user', '--unshare-net', '--ro-bind', '/', '/', 'true'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000, uid: 65534, gid: 65534 });
    return null;
  } catch (error) {
    const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (code === 'ENOENT') return '--read-only and --no-network need bubblewrap (bwrap), which is not installed: apt-get install bubblewrap (Debian, Ubuntu) or dnf install bubblewrap';
    return `--read-only and --no-network need user namespaces, and bwrap could not make one: ${String(stderr ?? code).trim()}. Enable them (sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0)`;
  }
}
