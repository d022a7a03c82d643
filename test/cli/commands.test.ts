import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { isRunning } from '../helpers/proc.js';
import { Harness } from './harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

describe('sessionctl end to end', { timeout: 60_000 }, () => {
  it('daemon status exits 4 and starts nothing when the daemon is down; stop says so and exits 0', async () => {
    const status = await h.cli(['daemon', 'status', '--json']);
    expect(status.exitCode).toBe(4);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: false, pid: null, uptimeMs: null });
    const stop = await h.cli(['daemon', 'stop']);
    expect(stop.exitCode).toBe(0);
    expect(stop.stderr).toMatch(/not running/);
    expect(h.daemonPid()).toBeNull();
  });

  it('create auto-starts the daemon and prints the id; list, info, find, registry-key, kill, terminate follow', async () => {
    const created = await h.cli(['create', '--metadata', 'task=demo', '--metadata', 'n=1']);
    expect(created.exitCode).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^session_[0-9a-f-]{36}$/);

    const status = await h.json<{ running: boolean; pid: number; uptimeMs: number; sessions: { active: number } }>(['daemon', 'status']);
    expect(status).toMatchObject({ running: true, pid: h.daemonPid(), sessions: { active: 1 } });
    expect(status.uptimeMs).toBeGreaterThanOrEqual(0);

    const [listed] = await h.json<SessionInfo[]>(['list']);
    expect(listed).toMatchObject({ id, status: 'active', registryKey: `session_supervisor:${id}`, metadata: { task: 'demo', n: '1' }, error: null, restarts: 0, strategy: 'one_for_one' });
    h.noteSession(listed!);
    expect(Object.keys(listed!).sort()).toEqual(
      ['autoShutdown', 'children', 'createdAt', 'error', 'id', 'isolation', 'limits', 'llmConfig', 'metadata', 'node', 'registryKey', 'restarts', 'stats', 'status', 'strategy', 'supervisorPid', 'updatedAt'],
    );
    // Not in a cluster: the contract's "node" is null.
    expect(listed!.node).toBeNull();
    expect(listed!.children).toEqual([
      { name: 'placeholder', pid: expect.any(Number), status: 'running', restarts: 0, lastExit: null, cwd: expect.any(String), significant: false, nextRestartAt: null },
    ]);
    expect(listed!.limits).toEqual({ memoryMax: null, cpuMax: null, maxProcesses: null, ttlMs: null, idleTerminateMs: null, enforcement: null });
    expect(listed!.autoShutdown).toBe('never');
    expect(listed!.stats.memory).toBeGreaterThan(0);

    const table = await h.cli(['list']);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/ID\s+STATUS\s+SUPERVISOR\s+CHILDREN\s+RESTARTS\s+UPTIME\s+CPU\s+RSS/);
    expect(table.stdout).toContain(`${id}  active  ${listed!.supervisorPid}`);
    expect(table.stdout).toContain(`placeholder:${listed!.children[0]!.pid}`);

    const info = await h.json<SessionInfo>(['info', id]);
    expect(info.id).toBe(id);
    expect((await h.cli(['info', id])).stdout).toContain(`supervisor:   ${listed!.supervisorPid}`);

    const find = await h.cli(['find', id]);
    expect(find).toMatchObject({ exitCode: 0, stdout: `${listed!.supervisorPid}` });
    expect(await h.json(['find', id])).toEqual({ id, pid: listed!.supervisorPid });
    expect(await h.cli(['registry-key', id])).toMatchObject({ exitCode: 0, stdout: `session_supervisor:${id}` });
    expect(await h.json(['registry-key', id])).toEqual({ id, registryKey: `session_supervisor:${id}` });

    const llm = await h.cli(['llm-agent', id]);
    expect(llm).toMatchObject({ exitCode: 3, stdout: 'not_found' });
    expect(llm.stderr).toMatch(/llm_agent/);
    expect(JSON.parse((await h.cli(['llm-agent', id, '--json'])).stdout)).toEqual({ id, pid: 'not_found' });

    const placeholderPid = listed!.children[0]!.pid!;
    const killed = await h.cli(['kill', id, '--child', 'placeholder']);
    expect(killed).toMatchObject({ exitCode: 0, stdout: `${placeholderPid}` });
    await h.waitRestarted(id);

    const terminated = await h.cli(['terminate', id]);
    expect(terminated).toMatchObject({ exitCode: 0, stdout: '' });
    h.noteDaemon();
    expect(await h.json<SessionInfo[]>(['list'])).toEqual([]);
    const [old] = await h.json<SessionInfo[]>(['list', '--all']);
    expect(old).toMatchObject({ id, status: 'terminated', supervisorPid: null });
    expect(isRunning(listed!.supervisorPid!)).toBe(false);
  });

  it('answers each mistake with the right exit code and keeps serving', { timeout: 90_000 }, async () => {
    await h.cli(['daemon', 'start']);
    const cases: [string[], number, RegExp?][] = [
      [['info', 'no-such-session'], 3, /not found/],
      [['terminate', 'no-such-session'], 3],
      [['find', 'no-such-session'], 3],
      [['kill', 'no-such-session'], 3],
      [['info', '../x'], 2, /invalid params of info: id: must be a session id/],
      [['create', '--id', '../x'], 2, /id: must match/],
      [['registry-key', '../x'], 2],
      [['no-such-command'], 2, /Unknown argument/],
      [[], 2],
      [['create', '--bogus-flag'], 2],
      [['create', '--strategy', 'sometimes'], 2],
      [['create', '--max-restarts', '-1'], 2, /--max-restarts: Too small/],
      [['create', '--llm-config', '{not json'], 2, /--llm-config is not valid JSON/],
      [['create', '--llm-config', '[1,2]'], 2, /must be a JSON object/],
      [['create', '--metadata', 'novalue'], 2, /expected K=V/],
      [['create', '--command', 'x=echo "open'], 2, /unterminated double quote/],
      [['create', '--child', 'a=./missing.js'], 2, /missing\.js does not exist/],
      [['kill', 'some-id', '--signal', 'SIGNOPE'], 2, /signal name/],
      [['kill', 'some-id', '--child', 'a', '--supervisor'], 2],
      [['create', '--spec', 'not-json.json'], 2, /is not valid JSON/],
      [['create', '--spec', 'names-missing.json'], 2, /nowhere\.js does not exist/],
      [['create', '--spec', 'no-such-spec.json'], 2, /cannot read spec file/],
    ];
    writeFileSync(join(h.home, 'not-json.json'), 'children: []');
    writeFileSync(join(h.home, 'names-missing.json'), JSON.stringify({ children: [{ name: 'a', file: 'nowhere.js' }] }));
    const results = await Promise.all(cases.map(([args]) => h.cli(args, { cwd: h.home })));
    for (const [i, result] of results.entries()) {
      const [args, code, message] = cases[i]!;
      expect(result.exitCode, args.join(' ')).toBe(code);
      if (message) expect(result.stderr, args.join(' ')).toMatch(message);
    }

    const session = await h.create(['--id', 'taken']);
    const again = await h.cli(['create', '--id', 'taken']);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect((await h.cli(['kill', 'taken', '--child', 'nobody'])).exitCode).toBe(3);
    expect((await h.json<SessionInfo>(['info', 'taken'])).status).toBe('active');
    expect(session.id).toBe('taken');
  });

  it('creates from a spec file with flags over it, with command children added after its own, and finds llm_agent', async () => {
    writeFileSync(join(h.home, 'spec.json'), JSON.stringify({ id: 'from-spec', strategy: 'rest_for_one', metadata: { team: 'x', n: 2 }, children: [{ name: 'first', command: 'sleep', args: ['60'] }] }));
    const session = await h.create(['--spec', join(h.home, 'spec.json'), '--id', 'spec-2', '--command', "llm_agent=sh -c 'exec sleep 60'", '--command', 'tail=sleep 61', '--metadata', 'n=3']);
    expect(session).toMatchObject({ id: 'spec-2', strategy: 'rest_for_one', metadata: { team: 'x', n: '3' } });
    expect(session.children.map((c) => c.name)).toEqual(['first', 'llm_agent', 'tail']);
    const agent = await h.cli(['llm-agent', 'spec-2']);
    expect(agent).toMatchObject({ exitCode: 0, stdout: String(session.children[1]!.pid) });
    expect(readFileSync(`/proc/${session.children[0]!.pid}/cmdline`, 'utf8').split('\0')).toEqual(['sleep', '60', '']);
    const hit = await h.json<{ pid: number; target: string; signal: string }>(['kill', 'spec-2', '--signal', 'term']);
    expect(hit).toEqual({ id: 'spec-2', pid: session.supervisorPid, target: 'supervisor', signal: 'SIGTERM' });
  });

  it('prints --help with examples for every command', async () => {
    const commands = [
      ['daemon'], ['daemon', 'start'], ['daemon', 'stop'], ['daemon', 'status'], ['daemon', 'restart'], ['daemon', 'install'], ['daemon', 'uninstall'],
      ['create'], ['list'], ['info'], ['find'], ['llm-agent'], ['registry-key'], ['terminate'], ['kill'], ['events'], ['logs'], ['top'],
    ];
    const helps = await Promise.all(commands.map((c) => h.cli([...c, '--help'])));
    for (const [i, help] of helps.entries()) {
      expect(help.exitCode, commands[i]!.join(' ')).toBe(0);
      expect(help.stdout, commands[i]!.join(' ')).toMatch(/Examples:/);
    }
    expect(h.daemonPid()).toBeNull(); // help starts nothing
  });
});
