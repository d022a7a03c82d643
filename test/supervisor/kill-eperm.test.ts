import { spawnSync } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToSupervisor } from '../../src/ipc/supervisor-messages.js';
import { isRunning, tempHome, waitFor } from '../helpers/proc.js';
import { entriesOfEachTest, sessionSpec } from './harness.js';

/**
 * A supervisor that may not signal a process of its child's tree (EPERM) says so and goes on.
 * The real supervisor runs as nobody; its child starts a copy of perl with CAP_SETUID that makes
 * itself root, which nobody can no longer signal.
 */
const NOBODY = 65534;
let home: ReturnType<typeof tempHome> | undefined;
afterEach(() => {
  home?.cleanup();
  home = undefined;
});
// Registered after: vitest runs after-hooks last first, so the processes go before their dir.
const entries = entriesOfEachTest();

// A perl that may make itself root: the test runs as root and sets the capability on a copy.
function rootPerl(dir: string): string {
  const perl = join(dir, 'perl');
  copyFileSync('/usr/bin/perl', perl);
  const setcap = spawnSync('setcap', ['cap_setuid,cap_setgid+ep', perl], { encoding: 'utf8' });
  if (setcap.error || setcap.status !== 0) throw new Error(`this test needs setcap (apt-get install -y libcap2-bin): ${setcap.error?.message ?? setcap.stderr}`);
  return perl;
}

// A dir of nobody's own, where its processes write their pids.
function nobodysDir(): string {
  home = tempHome();
  chownSync(home.dir, NOBODY, NOBODY);
  return home.dir;
}

async function startAsNobody(command: string, args: string[], dir: string) {
  const run = entries.spawn({ uid: NOBODY, gid: NOBODY, cwd: dir });
  const session = sessionSpec({ children: [{ name: 'x', command, args, cwd: dir, restart: 'temporary', shutdownMs: 1000 }] });
  const init: ToSupervisor = { type: 'init', init: { session, heartbeatMs: 1000, startTimeoutMs: 10_000, logDir: null } };
  run.proc.send(init);
  await waitFor(() => run.reports.find((m) => m.type === 'ready'), 'ready');
  return run;
}

const rootPid = async (file: string) => {
  const pid = await waitFor(() => (existsSync(file) ? Number(readFileSync(file, 'utf8')) || null : null), 'perl to write its pid');
  await waitFor(() => readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+0\s/m), 'perl to be root');
  entries.track(pid);
  return pid;
};

describe('a kill the supervisor may not make (EPERM)', () => {
  it('a crashed child whose leftover it cannot kill: reported, and the supervisor goes on', async () => {
    const dir = nobodysDir();
    const perl = rootPerl(dir);
    const pidFile = join(dir, 'perl.pid');
    const s = await startAsNobody('sh', ['-c', `${perl} -e '$< = $> = 0; $0 = "root-leftover"; sleep 600' & echo $! > ${pidFile}; sleep 0.5; exit 3`], dir);
    const leftover = await rootPid(pidFile);
    await waitFor(() => s.reports.find((m) => m.type === 'child' && m.event === 'exited'), 'the child to exit', 10_000);
    await waitFor(() => s.stderr().includes('could not kill every process of child x'), 'the supervisor to report the failed kill', 10_000);
    // Still alive and serving: a ping is answered.
    s.proc.send({ type: 'ping', seq: 7 } satisfies ToSupervisor);
    await waitFor(() => s.reports.find((m) => m.type === 'pong' && m.seq === 7), 'a pong');
    expect(isRunning(leftover)).toBe(true);
    s.proc.send({ type: 'shutdown' } satisfies ToSupervisor);
    expect(await s.exited).toBe(0);
  });

  it('a stop of a child it cannot signal: reported, and the stop completes with exit 0', async () => {
    const dir = nobodysDir();
    const perl = rootPerl(dir);
    const pidFile = join(dir, 'perl.pid');
    const s = await startAsNobody(perl, ['-e', `open(my $f, '>', '${pidFile}'); print $f $$; close $f; $< = $> = 0; sleep 600`], dir);
    await rootPid(pidFile);
    s.proc.send({ type: 'shutdown' } satisfies ToSupervisor);
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toContain('could not kill every process of child x');
  });
});
