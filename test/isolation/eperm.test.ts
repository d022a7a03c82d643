import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { beforeEach, expect, it, vi } from 'vitest';
import { isRunning } from '../../src/process/proc.js';
import { isolationWorld, waitFor } from './harness.js';

// Each test starts real sessions (some under bubblewrap) through the CLI: minutes on a loaded 2-core host.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

// Signals that the kernel refuses (EPERM) must never become an unhandled error in the supervisor
// or the daemon. A child of an isolated session that turns itself into root (through a setuid
// root program: here a setuid copy of setpriv) can no longer be signalled by its supervisor; the
// session still stops (the daemon, root, SIGKILLs it) and the daemon goes on.

const w = isolationWorld();

beforeEach(() => {
  copyFileSync('/usr/bin/setpriv', `${w.shared.dir}/setpriv`);
  chmodSync(`${w.shared.dir}/setpriv`, 0o4755);
});

it('a child its supervisor may not signal (EPERM) is stopped by the daemon; no unhandled error anywhere', async () => {
  const session = await w.h.create(['--isolate', '--command', `root=${w.shared.dir}/setpriv --reuid=0 --regid=0 --clear-groups sleep 1000`]);
  w.track(session);
  const pid = session.children[0]!.pid!;
  await waitFor(() => /^Uid:\s+0\s+0\s+0\s+0$/m.test(readFileSync(`/proc/${pid}/status`, 'utf8')), 'the child to be root');
  const daemon = w.h.daemonPid();
  // A fault injection from the daemon (root) lands; a restart then runs it again, as root again.
  expect((await w.h.cli(['kill', session.id, '--child', 'root', '--signal', 'SIGTERM'])).exitCode).toBe(0);
  const again = await w.h.waitRestarted(session.id);
  const started = Date.now();
  const stopped = await w.h.cli(['terminate', session.id]);
  expect(stopped.exitCode, stopped.stderr).toBe(0);
  expect(Date.now() - started).toBeLessThan(9000);
  expect(isRunning(again.children[0]!.pid!)).toBe(false);
  expect(w.h.daemonPid()).toBe(daemon);
  expect(isRunning(daemon!)).toBe(true);
  const logs = `${readFileSync(`${w.h.home}/logs/sessiond.log`, 'utf8')}${readFileSync(`${w.h.home}/logs/supervisors.log`, 'utf8')}`;
  expect(logs).not.toMatch(/uncaught|unhandled/i);
  // The supervisor says what it could not do, and goes on; the daemon's kill of the session did it.
  expect(logs).toMatch(/could not kill every process of child root/);
});
