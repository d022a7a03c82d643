import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { SessionManager } from '../../src/manager/session-manager.js';
import { entryPath } from '../../src/process/entries.js';
import { tempHome } from '../helpers/proc.js';
import { Harness, SESSIONCTL, waitFor } from './harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

describe("a newcomer's first hour", { timeout: 60_000 }, () => {
  it('usage mistakes get words a newcomer can act on', async () => {
    const cases: [string[], RegExp][] = [
      [['lst'], /unknown command "lst"\. Did you mean list\?/],
      [['daemon', 'strt'], /unknown command "strt"\. Did you mean start\?/],
      [['info'], /give a session id \(or a unique prefix of one\): 'sessionctl list' shows them/],
      [['logs'], /give a session id/],
      [['daemon'], /give an action: see 'sessionctl daemon --help'/],
    ];
    const results = await Promise.all(cases.map(([args]) => h.cli(args)));
    for (const [i, result] of results.entries()) {
      expect(result.exitCode, cases[i]![0].join(' ')).toBe(2);
      expect(result.stderr, cases[i]![0].join(' ')).toMatch(cases[i]![1]);
    }
    const help = await h.cli(['create', '--help']);
    expect(help.stdout).toMatch(/Spec file \(--spec FILE\): one JSON object/);
    expect(help.stdout).toContain('"command": "python3", "args": ["-m", "http.server", "8080"]');
    expect(h.daemonPid()).toBeNull();
  });

  it('--child/--command beside --spec add to its children; a name used twice or a command with its arguments is bad input', async () => {
    writeFileSync(join(h.home, 'spec.json'), JSON.stringify({ children: [{ name: 'web', command: 'sleep', args: ['60'] }] }));
    writeFileSync(join(h.home, 'split.json'), JSON.stringify({ children: [{ name: 'web', command: 'sleep 1000' }] }));
    const clash = await h.cli(['create', '--spec', 'spec.json', '--command', 'web=sleep 61'], { cwd: h.home });
    expect(clash.exitCode).toBe(2);
    expect(clash.stderr).toMatch(/--command web=sleep 61: a child named web is already given/);
    const split = await h.cli(['create', '--spec', 'split.json'], { cwd: h.home });
    expect(split.exitCode).toBe(2);
    expect(split.stderr).toMatch(/children\.0\.command: is the executable alone, never split: put its arguments in "args", e\.g\. "command": "sleep", "args": \["1000"\]/);
    expect(h.daemonPid()).not.toBeNull(); // the daemon said so, and keeps serving

    const session = await h.create(['--spec', join(h.home, 'spec.json'), '--command', 'tail=sleep 62']);
    expect(session.children.map((c) => c.name)).toEqual(['web', 'tail']);
  });

  it('--llm-config @FILE and - (stdin): the key never in argv, shown redacted', async () => {
    const file = join(h.home, 'llm.json');
    writeFileSync(file, JSON.stringify({ model: 'm', api_key: 'sk-from-file' }), { mode: 0o600 });
    const fromFile = await h.create(['--llm-config', `@${file}`]);
    expect(fromFile.llmConfig).toEqual({ model: 'm', api_key: '***' });
    const piped = await h.cli(['create', '--llm-config', '-', '--json'], { input: '{"model":"n","token":"sk-from-stdin"}' });
    expect(piped.exitCode, piped.stderr).toBe(0);
    const session = JSON.parse(piped.stdout) as SessionInfo;
    h.noteSession(session);
    expect(session.llmConfig).toEqual({ model: 'n', token: '***' });
    const missing = await h.cli(['create', '--llm-config', '@nope.json'], { cwd: h.home });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/--llm-config @nope\.json: cannot read .*nope\.json: ENOENT/);
  });

  it('logs --json prints one JSON object a line; list says its memory column is RSS', async () => {
    const session = await h.create(['--command', 'talk=sh -c "echo hello; echo world >&2; exec sleep 60"']);
    const logs = await waitFor(async () => {
      const result = await h.cli(['logs', session.id.slice(8, 14), '--json']);
      return result.stdout.split('\n').filter(Boolean).length >= 2 ? result.stdout : null;
    }, 'two lines of output');
    const lines = logs.trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      { session: session.id, child: 'talk', stream: 'out', at: expect.any(String), line: 'hello' },
      { session: session.id, child: 'talk', stream: 'err', at: expect.any(String), line: 'world' },
    ]);
    expect((await h.cli(['list'])).stdout.split('\n')[0]).toMatch(/\bRSS$/);
  });

  it('the bins work from anywhere on PATH, as npm install -g and npm link put them there', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { sessionctl: string; sessiond: string } };
    expect(pkg.bin).toEqual({ sessionctl: 'dist/bin/sessionctl.cjs', sessiond: 'dist/daemon/sessiond.js' });
    const bin = join(h.home, 'bin');
    mkdirSync(bin);
    for (const [name, file] of Object.entries(pkg.bin)) {
      const path = join(ROOT, file);
      expect(readFileSync(path, 'utf8').startsWith('#!/usr/bin/env node\n'), file).toBe(true);
      expect(statSync(path).mode & 0o111, file).toBe(0o111);
      symlinkSync(path, join(bin, name));
    }
    expect(join(ROOT, pkg.bin.sessionctl)).toBe(SESSIONCTL);
    expect(join(ROOT, pkg.bin.sessiond)).toBe(entryPath('sessiond'));
    const env = { PATH: `${bin}:${process.env.PATH}` };
    const elsewhere = { cwd: '/', env };
    expect((await execa('sessionctl', ['--version'], elsewhere)).stdout).toBe(VERSION);
    expect((await execa('sessiond', ['--version'], elsewhere)).stdout).toBe(VERSION);
    const created = await execa('sessionctl', ['--home', h.home, 'create'], elsewhere);
    expect(created.stdout).toMatch(/^session_/);
    h.noteDaemon();
    // What a tarball holds: the built files, bins included.
    const pack = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const files = (JSON.parse(pack.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', pkg.bin.sessionctl, pkg.bin.sessiond, 'dist/children/session-supervisor.js', 'dist/src/child/index.js']));
  });

  it('the library speaks for itself: no CLI flags or commands in its errors', async () => {
    const { dir, cleanup } = tempHome('sessiond-lib-');
    const manager = new SessionManager({ home: dir });
    try {
      await expect(manager.getSessionInfo('nobody')).rejects.toMatchObject({ code: 'not_found', message: 'session nobody not found' });
    } finally {
      await manager.shutdown();
      cleanup();
    }
  });
});
