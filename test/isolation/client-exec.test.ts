import { expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { isolationWorld } from './harness.js';

// Sessions under bubblewrap through the CLI: minutes on a loaded 2-core host.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

// sessionctl exec in an isolated session, through the daemon: its stdout is the client's output
// connection, handed to a supervisor of another uid (and, with bwrap, in namespaces of its own),
// and written into by a process of that uid; stdin, stderr and the exit stay on the exec's frames.

const w = isolationWorld();

for (const flags of [['--isolate'], ['--read-only', '--no-network']]) {
  it(`${flags.join(' ')}: exec runs as the session user in its work dir; 8 MiB of stdout, stdin and stderr reach the caller apart; nothing is left`, async () => {
    const session: SessionInfo = w.track(await w.h.create(flags));
    const { uid, workDir } = session.isolation!;
    const script = 'id -u; pwd; head -c 8388608 /dev/zero | tr "\\0" z; echo; cat; echo err >&2; exit 3';
    const run = await w.h.cli(['exec', session.id, '--', 'sh', '-c', script], { input: 'from stdin' });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toBe('err');
    expect(run.stdout).toBe(`${uid}\n${workDir}\n${'z'.repeat(8 * 1024 * 1024)}\nfrom stdin`);
    expect((await w.h.cli(['terminate', session.id])).exitCode).toBe(0);
  });
}
