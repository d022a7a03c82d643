import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import type { DaemonStatus } from '../../src/control/protocol.js';
import { entryPath } from '../../src/process/entries.js';
import { Harness, waitFor } from './harness.js';

const VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

describe('versions and daemon settings', { timeout: 60_000 }, () => {
  it('--version on sessionctl and sessiond; daemon status --json carries version, spares and cgroups', async () => {
    expect(await h.cli(['--version'])).toMatchObject({ exitCode: 0, stdout: VERSION });
    expect(await h.cli(['-V'])).toMatchObject({ exitCode: 0, stdout: VERSION });
    const sessiond = await execa(process.execPath, [entryPath('sessiond'), '--version']);
    expect(sessiond.stdout).toBe(VERSION);

    const down = await h.cli(['daemon', 'status', '--json']);
    expect(down.exitCode).toBe(4);
    expect(JSON.parse(down.stdout)).toMatchObject({ running: false, pid: null, version: null, spares: [], cgroups: null });
    await h.cli(['daemon', 'start']);
    // One spare by default (--warm 1), its Placeholder up soon after the start.
    const up = await waitFor(async () => {
      const status = await h.json<DaemonStatus>(['daemon', 'status']);
      return status.spares?.[0]?.placeholderPid ? status : null;
    }, 'the spare to be ready');
    expect(up).toMatchObject({ running: true, version: VERSION, cgroups: { mode: expect.any(String) }, metrics: null });
    expect(up.spares).toEqual([{ supervisorPid: expect.any(Number), placeholderPid: expect.any(Number) }]);
    expect((await h.cli(['daemon', 'status'])).stdout).toContain(`sessiond ${VERSION} is running`);
  });

  it('daemon start records its flags in sessiond.json; a daemon a later command starts runs with them', async () => {
    const start = await h.cli(['daemon', 'start', '--idle-timeout-ms', '300', '--keep-days', '2']);
    expect(start.exitCode, start.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(h.home, 'sessiond.json'), 'utf8'))).toEqual({ 'idle-timeout-ms': 300, 'keep-days': 2 });
    const idle = async (id: string) => waitFor(async () => (await h.json<SessionInfo>(['info', id])).status === 'idle', `session ${id} idle`);
    await idle((await h.create()).id);

    await h.cli(['daemon', 'stop']);
    const again = await h.create(); // starts the daemon: sessiond --home, nothing more
    expect(readFileSync(`/proc/${h.daemonPid()}/cmdline`, 'utf8')).not.toContain('idle-timeout');
    await idle(again.id);

    const running = await h.cli(['daemon', 'start', '--keep-days', '3']);
    expect(running.exitCode).toBe(0);
    expect(running.stderr).toMatch(/already running .*the settings recorded in .*sessiond\.json apply from its next start/);
    expect(JSON.parse(readFileSync(join(h.home, 'sessiond.json'), 'utf8'))).toEqual({ 'idle-timeout-ms': 300, 'keep-days': 3 });
  });

  it("sessiond's own flags override the file; a bad file stops it with a message naming the file", async () => {
    writeFileSync(join(h.home, 'sessiond.json'), JSON.stringify({ metrics: '0.0.0.0:0' }));
    const refused = await h.cli(['create']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/sessiond could not start:\nsessiond: --metrics 0\.0\.0\.0:0 can be reached from other machines/);

    const sessiond = execa(process.execPath, [entryPath('sessiond'), '--home', h.home, '--metrics', '127.0.0.1:0'], { reject: false });
    await waitFor(async () => (await h.cli(['daemon', 'status'])).exitCode === 0, 'the daemon');
    expect((await h.json<DaemonStatus>(['daemon', 'status'])).metrics).toMatch(/^http:\/\/127\.0\.0\.1:/);
    await h.cli(['daemon', 'stop']);
    await sessiond;

    writeFileSync(join(h.home, 'sessiond.json'), JSON.stringify({ 'warm-supervisor': 1 }));
    const typo = await execa(process.execPath, [entryPath('sessiond'), '--home', h.home], { reject: false });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain(`${join(h.home, 'sessiond.json')}: "warm-supervisor" is not a setting of sessiond`);
    const bad = await h.cli(['daemon', 'start', '--keep-days', 'soon']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--keep-days takes a positive number, not "soon"/);
  });
});
