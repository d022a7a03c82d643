import { describe, expect, it } from 'vitest';
import type { FromSupervisor, ToSupervisor } from '../../src/ipc/supervisor-messages.js';
import { isRunning, waitFor } from '../helpers/proc.js';
import { childSpec, entriesOfEachTest, fixture, isType, placeholder, sessionSpec, uniqueId } from './harness.js';

/**
 * A spare supervisor whose Placeholder dies before its init reports it (spare_lost) and leaves
 * its end to the daemon, which ends it unless a create has just taken it. The daemon does kill
 * that Placeholder itself when the session that takes the spare's supervisor cannot use the
 * spare's cgroup (it releases the group): the init is then on its way, and must start the
 * session. A supervisor that ended itself on the lost Placeholder failed such creates
 * ("supervisor crashed: exit code 1"), under load now and then.
 */
const entries = entriesOfEachTest();

describe('a spare whose Placeholder died before its init', () => {
  it('reports spare_lost, waits, and starts the session whose init comes after', async () => {
    const { proc, reports, stderr, exited } = entries.spawn();
    const lost = childSpec({ name: 'placeholder', file: fixture('exit-at-once.mjs') });
    proc.send({ type: 'spare', spare: { session: uniqueId('spare'), placeholder: lost } } satisfies ToSupervisor);
    await waitFor(() => reports.find((m) => m.type === 'spare_lost'), 'spare_lost');

    // Taken by a create with an id of its own, as the daemon's pool does, after the Placeholder died.
    const session = sessionSpec({ id: uniqueId('taken'), children: [placeholder('placeholder')] });
    proc.send({ type: 'init', init: { session, heartbeatMs: 1000, startTimeoutMs: 10_000, logDir: null } } satisfies ToSupervisor);
    await waitFor(() => reports.find((m) => m.type === 'ready'), 'the session to start');
    for (const { child } of reports.filter(isType('child'))) if (child.pid !== null) entries.track(child.pid);
    expect(isRunning(proc.pid!)).toBe(true);

    proc.send({ type: 'shutdown' } satisfies ToSupervisor);
    expect(await exited).toBe(0);
    expect(stderr()).toBe('');
  });
});
