import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { FromSupervisor, ToSupervisor } from '../../src/ipc/supervisor-messages.js';
import { entryPath } from '../../src/process/entries.js';
import { expectAllGone, isRunning, killAll, waitFor } from '../helpers/proc.js';
import { childSpec, fixture, placeholder, sessionSpec, uniqueId } from './harness.js';

/**
 * A spare supervisor whose Placeholder dies before its init reports it (spare_lost) and leaves
 * its end to the daemon, which ends it unless a create has just taken it. The daemon does kill
 * that Placeholder itself when the session that takes the spare's supervisor cannot use the
 * spare's cgroup (it releases the group): the init is then on its way, and must start the
 * session. A supervisor that ended itself on the lost Placeholder failed such creates
 * ("supervisor crashed: exit code 1"), under load now and then.
 */
let supervisor: ChildProcess | undefined;
const pids = new Set<number>();

afterEach(async () => {
  if (supervisor?.exitCode === null && supervisor.signalCode === null) supervisor.kill('SIGKILL');
  killAll(pids);
  await expectAllGone([...pids]);
  pids.clear();
});

describe('a spare whose Placeholder died before its init', () => {
  it('reports spare_lost, waits, and starts the session whose init comes after', async () => {
    const reports: FromSupervisor[] = [];
    let stderr = '';
    const proc = spawn(process.execPath, [entryPath('session-supervisor')], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    supervisor = proc;
    pids.add(proc.pid!);
    proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('message', (m: FromSupervisor) => reports.push(m));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));

    const spareId = uniqueId('spare');
    const lost = childSpec({ name: 'placeholder', file: fixture('exit-at-once.mjs') });
    proc.send({ type: 'spare', spare: { session: spareId, placeholder: lost } } satisfies ToSupervisor);
    await waitFor(() => reports.find((m) => m.type === 'spare_lost'), 'spare_lost');

    // Taken by a create of its own id, as the daemon's pool does, after the Placeholder died.
    const session = sessionSpec({ id: uniqueId('taken'), children: [placeholder('placeholder')] });
    proc.send({ type: 'init', init: { session, heartbeatMs: 1000, startTimeoutMs: 10_000, logDir: null } } satisfies ToSupervisor);
    await waitFor(() => reports.find((m) => m.type === 'ready'), 'the session to start');
    const started = reports.find((m): m is Extract<FromSupervisor, { type: 'child' }> => m.type === 'child' && m.child.pid !== null);
    if (started?.type === 'child' && started.child.pid) pids.add(started.child.pid);
    expect(isRunning(proc.pid!)).toBe(true);

    proc.send({ type: 'shutdown' } satisfies ToSupervisor);
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });
});
