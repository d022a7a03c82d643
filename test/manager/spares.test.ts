import { mkdtempSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStat } from '../../src/process/proc.js';
import { environ, isRunning, waitFor } from '../helpers/proc.js';
import { fixture, Harness, readySpare } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('spares', () => {
  it('a default create takes a whole spare: the same tree, marker and cwd as a cold session', async () => {
    h = new Harness();
    const spare = await readySpare(h);
    // Inside the harness's home: its teardown removes it, whatever the test's outcome.
    const dir = realpathSync(mkdtempSync(join(h.home.dir, 'cwd-')));
    const id = await h.manager.createSession({ metadata: { task: 't' }, llmConfig: { apiKey: 'k' } }, dir);
    const info = await h.manager.getSessionInfo(id);
    expect(id).toMatch(/^session_[0-9a-f-]{36}$/);
    expect(info.status).toBe('active');
    expect(info.supervisorPid).toBe(spare.supervisorPid);
    const placeholder = info.children[0]!;
    expect(placeholder).toMatchObject({ name: 'placeholder', pid: spare.placeholderPid, status: 'running', cwd: dir });
    expect(readStat(placeholder.pid!)!.ppid).toBe(info.supervisorPid);
    expect(readStat(placeholder.pid!)!.pgrp).toBe(placeholder.pid);
    expect(environ(placeholder.pid!)).toContain(`SUPERVISED_RUN=${id}/placeholder/1`);
    expect(readlinkSync(`/proc/${placeholder.pid}/cwd`)).toBe(dir);
    expect(environ(placeholder.pid!).join('\n')).not.toContain('apiKey');
    // Pinned with the start times read while the spare idled: the processes' own.
    const record = h.manager.record(id);
    expect(record.supervisorStartTime).toBe(readStat(spare.supervisorPid)!.startTime);
    expect(record.children[0]!.startTime).toBe(readStat(spare.placeholderPid)!.startTime);
    expect(h.manager.spares().map((s) => s.supervisorPid)).not.toContain(spare.supervisorPid);
    await h.manager.terminateSession(id);
    expect(isRunning(spare.supervisorPid) || isRunning(spare.placeholderPid)).toBe(false);
  });

  it('a create with children of its own, or an id, takes the supervisor alone and stops the spare Placeholder', async () => {
    h = new Harness();
    let spare = await readySpare(h);
    const own = await h.create({ children: [{ name: 'worker', file: fixture('exit-on-signal.mjs') }] });
    let info = await h.manager.getSessionInfo(own);
    expect(info.supervisorPid).toBe(spare.supervisorPid);
    expect(info.children.map((c) => c.name)).toEqual(['worker']);
    await waitFor(() => !isRunning(spare.placeholderPid), 'the spare Placeholder to be stopped');

    spare = await readySpare(h);
    const named = await h.create({ id: 'named' });
    info = await h.manager.getSessionInfo(named);
    expect(info.supervisorPid).toBe(spare.supervisorPid);
    expect(info.children[0]!.pid).not.toBe(spare.placeholderPid);
    expect(environ(info.children[0]!.pid!)).toContain('SUPERVISED_RUN=named/placeholder/1');
    await waitFor(() => !isRunning(spare.placeholderPid), 'the spare Placeholder to be stopped');
  });

  it('refills after a burst, replaces a spare that dies, and never lists spares as sessions', async () => {
    h = new Harness();
    await readySpare(h);
    const ids = await Promise.all(Array.from({ length: 4 }, () => h!.create({})));
    expect(new Set(ids).size).toBe(4);
    const refilled = await readySpare(h);
    expect((await h.manager.listSessions()).map((s) => s.id).sort()).toEqual([...ids].sort());
    process.kill(refilled.placeholderPid, 'SIGKILL');
    const replaced = await waitFor(() => h!.manager.spares().find((s) => s.placeholderPid !== null && s.supervisorPid !== refilled.supervisorPid), 'a new spare');
    h.seen.add(replaced.supervisorPid).add(replaced.placeholderPid!);
    await waitFor(() => !isRunning(refilled.supervisorPid), 'the broken spare to be gone');
  });

  it('a spare whose Placeholder died just before the create still gives a working session', async () => {
    h = new Harness();
    // The supervisor may learn of the death before the init or after it: both ways, a working session.
    for (let i = 0; i < 4; i++) {
      const spare = await readySpare(h);
      process.kill(spare.placeholderPid, 'SIGKILL');
      const id = await h.manager.createSession({});
      const placeholder = await waitFor(async () => {
        const child = (await h!.manager.getSessionInfo(id)).children[0]!;
        return child.pid !== null && child.pid !== spare.placeholderPid && child.status === 'running' ? child : null;
      }, 'a live Placeholder other than the dead one');
      h.seen.add(placeholder.pid!);
      expect(isRunning(placeholder.pid!)).toBe(true);
      expect((await h.manager.getSessionInfo(id)).status).toBe('active');
    }
  });

  it('with --warm 0 there is no spare, and sessions start cold', async () => {
    h = new Harness({ warmSupervisors: 0 });
    const id = await h.create({});
    expect(h.manager.spares()).toEqual([]);
    expect((await h.manager.getSessionInfo(id)).status).toBe('active');
  });
});
