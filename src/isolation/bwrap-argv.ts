import { existsSync } from 'node:fs';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** What a session asks of bubblewrap. */
export interface BwrapOptions {
  readonly readOnly: boolean;
  readonly network: boolean;
  /** Its work dir: writable under --read-only. */
  readonly workDir: string;
  /** Folders its processes must see as they are (the runtime bundles), read-only. */
  readonly runtime: string;
}

/**
 * bwrap's argv for an isolated session's launcher, up to and including `--`: the command follows.
 * Pure (but for whether the host has a cgroup tree), so each promise can be read off it (and
 * tested) without running it.
 * - `--unshare-user`: the namespaces need no privilege; the session's uid maps to itself.
 * - `--new-session`: the supervisor leads a process group (and session) of its own, so the
 *   daemon's SIGTERM to that group reaches it, not bwrap, and no terminal can be stuffed (TIOCSTI).
 * - No `--die-with-parent`: it would SIGKILL the supervisor with the daemon and leave its children
 *   behind; the supervisor sees its channel close and stops them, and bwrap then exits with it.
 * - No `--unshare-pid`: the pids the supervisor reports must be the host's (stop, stats, cgroups).
 * - No `--clearenv`: the daemon spawns bwrap with the clean environment already (clean-env.ts).
 */
export function bwrapArgv(options: BwrapOptions): string[] {
  const argv = ['--unshare-user', '--new-session'];
  if (!options.network) argv.push('--unshare-net');
  if (options.readOnly) {
    // The whole tree read-only (bind mounts are recursive); a private /tmp and /dev; the work dir writable.
    argv.push('--ro-bind', '/', '/', '--dev', '/dev', '--tmpfs', '/tmp', '--tmpfs', '/dev/shm', '--bind', options.workDir, options.workDir);
    // A child enters its cgroup leaf by writing its pid there (cgroup/children-leaf.ts): that one
    // file is the session user's (isolation/leaf-entry.ts); the rest stays root's, mounted rw or not.
    if (existsSync(CGROUP_ROOT)) argv.push('--bind', CGROUP_ROOT, CGROUP_ROOT);
  } else {
    argv.push('--bind', '/', '/', '--dev-bind', '/dev', '/dev');
  }
  argv.push('--ro-bind', options.runtime, options.runtime, '--chdir', options.workDir, '--');
  return argv;
}
