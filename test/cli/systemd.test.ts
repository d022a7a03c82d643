import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unitName } from '../../src/cli/systemd-unit.js';
import { entryPath } from '../../src/process/entries.js';
import { Harness, waitFor } from './harness.js';

let h: Harness;
let unitDir: string;
let env: Record<string, string>;
beforeEach(() => {
  h = new Harness();
  unitDir = join(h.home, 'units');
  env = { SESSIOND_UNIT_DIR: unitDir };
});
afterEach(async () => {
  await h.teardown();
});

describe('daemon install / uninstall (systemd)', { timeout: 60_000 }, () => {
  it('writes a unit systemd-analyze accepts, running sessiond in the foreground on this state dir', async () => {
    const install = await h.cli(['daemon', 'install'], { env });
    expect(install.exitCode, install.stderr).toBe(0);
    const path = install.stdout.trim();
    const name = unitName(h.home);
    expect(name).toMatch(/^sessiond-[0-9a-f]{8}\.service$/);
    expect(path).toBe(join(unitDir, name));
    expect(install.stderr).toContain(`systemctl --user enable --now ${name}`);
    expect(install.stderr).toMatch(/systemctl --user daemon-reload\n/);
    expect(install.stderr).toMatch(/loginctl enable-linger \S+/);

    const text = readFileSync(path, 'utf8');
    expect(text).toContain(`ExecStart="${process.execPath}" "${entryPath('sessiond')}" "--home" "${h.home}" "--systemd"`);
    for (const line of ['Restart=on-failure', 'Delegate=yes', 'KillMode=mixed', 'WantedBy=default.target']) expect(text.split('\n')).toContain(line);
    // verify checks every directive and that ExecStart's program exists; it warns on stderr for what it ignores.
    const verify = await execa('systemd-analyze', ['verify', path], { reject: false });
    expect({ code: verify.exitCode, stderr: verify.stderr }).toEqual({ code: 0, stderr: '' });

    expect(h.daemonPid()).toBeNull(); // install starts nothing
  });

  it('a system unit goes to its own place and says how to enable it without --user', async () => {
    const install = await h.cli(['daemon', 'install', '--system', '--json'], { env });
    expect(install.exitCode, install.stderr).toBe(0);
    const result = JSON.parse(install.stdout) as { path: string; commands: string[]; system: boolean };
    expect(result).toMatchObject({ system: true, commands: ['systemctl daemon-reload', `systemctl enable --now ${unitName(h.home)}`] });
    expect(readFileSync(result.path, 'utf8')).toContain('WantedBy=multi-user.target');
    const verify = await execa('systemd-analyze', ['verify', result.path], { reject: false });
    expect({ code: verify.exitCode, stderr: verify.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('an existing unit: unchanged says so, a different one is left alone unless --force; uninstall removes it and its links', async () => {
    const path = (await h.cli(['daemon', 'install'], { env })).stdout.trim();
    const again = await h.cli(['daemon', 'install'], { env });
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toMatch(/installed already, unchanged/);

    writeFileSync(path, '[Service]\nExecStart=/bin/true\n');
    const refused = await h.cli(['daemon', 'install'], { env });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/exists and differs .* nothing changed \(--force overwrites it\)/);
    expect(readFileSync(path, 'utf8')).toBe('[Service]\nExecStart=/bin/true\n');
    expect((await h.cli(['daemon', 'install', '--force'], { env })).exitCode).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('Delegate=yes');

    // What `systemctl enable` leaves: a link in the target's .wants/.
    mkdirSync(join(unitDir, 'default.target.wants'));
    const link = join(unitDir, 'default.target.wants', unitName(h.home));
    symlinkSync(path, link);
    const uninstall = await h.cli(['daemon', 'uninstall'], { env });
    expect(uninstall).toMatchObject({ exitCode: 0, stdout: path });
    expect(uninstall.stderr).toContain(`systemctl --user stop ${unitName(h.home)}`);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(link)).toBe(false);
    const none = await h.cli(['daemon', 'uninstall'], { env });
    expect(none.exitCode).toBe(0);
    expect(none.stderr).toMatch(/no unit at .*: nothing to remove/);
  });

  it("the unit's command line runs sessiond with its log on stdout too, as the journal wants it", async () => {
    const sessiond = execa(process.execPath, [entryPath('sessiond'), '--home', h.home, '--systemd'], { reject: false });
    const lines: string[] = [];
    sessiond.stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n')));
    await waitFor(() => lines.some((l) => /^<6>sessiond started \{.*"home"/.test(l)), 'the start line on stdout');
    h.noteDaemon();
    expect((await h.cli(['daemon', 'stop'])).exitCode).toBe(0);
    const result = await sessiond;
    expect(result.exitCode).toBe(0);
    expect(lines.some((l) => l.startsWith('<6>stopping: terminating every session'))).toBe(true);
    expect(readFileSync(join(h.home, 'logs', 'sessiond.log'), 'utf8')).toContain('"msg":"sessiond started"');
  });

  it('with JOURNAL_STREAM naming its stdout, sessiond logs there by itself; with a stale one it does not', async () => {
    for (const stale of [false, true]) {
      const file = join(h.home, `out-${stale}`);
      const fd = openSync(file, 'w');
      const stat = fstatSync(fd);
      const sessiond = spawn(process.execPath, [entryPath('sessiond'), '--home', h.home], {
        stdio: ['ignore', fd, 'inherit'],
        env: { ...process.env, JOURNAL_STREAM: `${stat.dev}:${stat.ino + (stale ? 1 : 0)}` },
      });
      const exited = once(sessiond, 'exit');
      closeSync(fd);
      await waitFor(() => h.daemonPid(), 'the daemon');
      h.noteDaemon();
      expect((await h.cli(['daemon', 'stop'])).exitCode).toBe(0);
      await exited;
      expect(readFileSync(file, 'utf8').includes('<6>sessiond started'), `stale ${stale}`).toBe(!stale);
    }
  });

  it('daemon restart under systemd: sessiond exits for its unit to start it again, and the CLI waits for that one', async () => {
    // What the unit does, in miniature: run sessiond --systemd, start it again on RestartForceExitStatus.
    const unit = readFileSync((await h.cli(['daemon', 'install', '--json'], { env }).then((r) => JSON.parse(r.stdout) as { path: string })).path, 'utf8');
    const force = Number(/^RestartForceExitStatus=(\d+)$/m.exec(unit)![1]);
    const exits: (number | null)[] = [];
    const starts: number[] = [];
    const start = () => {
      const child = spawn(process.execPath, [entryPath('sessiond'), '--home', h.home, '--systemd'], { stdio: 'ignore' });
      starts.push(child.pid!);
      child.once('exit', (code) => {
        exits.push(code);
        if (code === force) start();
      });
    };
    start();
    await waitFor(async () => (await h.cli(['daemon', 'status'])).exitCode === 0, 'the daemon');
    const session = await h.create(['--id', 'kept']);
    expect((await h.json<{ systemd: boolean }>(['daemon', 'status'])).systemd).toBe(true);

    const restart = await h.cli(['daemon', 'restart']);
    expect(restart.exitCode, restart.stderr).toBe(0);
    expect(exits).toEqual([force]);
    expect(Number(restart.stdout)).toBe(starts[1]); // the unit's new daemon, not one the CLI started
    await waitFor(async () => (await h.json<{ status: string; supervisorPid: number }>(['info', 'kept'])).status === 'active', 'the session back');
    expect((await h.json<{ supervisorPid: number }>(['info', 'kept'])).supervisorPid).not.toBe(session.supervisorPid);
    h.noteDaemon();
    expect((await h.cli(['daemon', 'stop'])).exitCode).toBe(0);
    await waitFor(() => exits.length === 2, 'the second daemon to exit');
    expect(exits).toEqual([force, 0]); // a stop is final: the unit does not start it again
  });
});
