import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { readStat } from '../../src/process/proc.js';
import { defaultIsolationRoot } from '../../src/isolation/isolation.js';
import { FIXTURES, isolationWorld, uidRuns, waitFor } from './harness.js';

// Each test starts real sessions (some under bubblewrap) through the CLI: minutes on a loaded 2-core host.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

// Everything that holds for a plain session holds for an isolated one: stop, SIGKILL after 5 s,
// no orphans after a daemon SIGKILL, pause, resurrection with its work dir, child admin, send, logs.

const w = isolationWorld([`${FIXTURES}/iso-agent.mjs`]);

async function isolated(args: string[]): Promise<SessionInfo> {
  const session = await w.h.create(args);
  expect(session.isolation).not.toBeNull();
  w.track(session);
  return session;
}

it('a Node child runs as the session user, no supplementary groups, in its work dir, with the clean environment; send, logs and child admin work', async () => {
  const session = await isolated(['--isolate', '--child', `agent=${w.shared.dir}/iso-agent.mjs`, '--llm-config', '{"api_key":"k-1"}']);
  const { uid, gid, workDir } = session.isolation!;
  expect(uid).toBeGreaterThan(65535);
  expect(statSync(workDir)).toMatchObject({ uid, gid, mode: 0o40700 });
  const who = JSON.parse((await w.h.cli(['send', session.id, '{"op":"whoami"}'])).stdout);
  expect(who).toMatchObject({ uid, gid, cwd: workDir, llm: { api_key: 'k-1' } });
  expect(who.groups.filter((g: number) => g !== gid)).toEqual([]);
  expect(who.env.filter((name: string) => !['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'TERM', 'SUPERVISED_RUN', 'PWD'].includes(name))).toEqual([]);
  // Supervisor too: the uid, and no supplementary group in /proc.
  const status = readFileSync(`/proc/${session.supervisorPid}/status`, 'utf8');
  expect(status).toMatch(new RegExp(`^Uid:\\s+${uid}\\s+${uid}\\s+${uid}\\s+${uid}$`, 'm'));
  expect(status).toMatch(/^Groups:\s*$/m);

  // child add runs in the work dir under the session's user; its output reaches `logs` through the daemon.
  expect((await w.h.cli(['child', 'add', session.id, '--command', 'w=sh -c "id -u; pwd; exec sleep 1000"'])).exitCode).toBe(0);
  const logs = await waitFor(async () => {
    const out = (await w.h.cli(['logs', session.id, '--child', 'w'])).stdout;
    return out.includes(workDir) ? out : null;
  }, 'the added child to log');
  expect(logs).toContain(String(uid));
  expect(statSync(`${w.h.home}/logs/sessions/${session.id}/w.log`).uid).toBe(0);
  expect((await w.h.cli(['child', 'stop', session.id, 'w'])).exitCode).toBe(0);
  expect((await w.h.cli(['child', 'remove', session.id, 'w'])).exitCode).toBe(0);

  // Terminate: nothing of its uid left, its work dir gone.
  expect((await w.h.cli(['terminate', session.id])).exitCode).toBe(0);
  expect(uidRuns(uid, defaultIsolationRoot(w.h.home))).toBe(false);
  expect(existsSync(workDir)).toBe(false);
});

for (const flags of [['--isolate'], ['--read-only', '--no-network']]) {
  it(`${flags.join(' ')}: a child that ignores SIGTERM is SIGKILLed 5 s after terminate; pause freezes it; --keep-workdir keeps the dir`, async () => {
    const session = await isolated([...flags, '--keep-workdir', '--command', `t=sh -c "trap '' TERM; echo kept > kept; sleep 1000 & wait"`]);
    const pid = session.children[0]!.pid!;
    expect((await w.h.cli(['pause', session.id])).exitCode).toBe(0);
    await waitFor(() => readStat(pid)?.state === 'T' || readFileSync(`/proc/${pid}/status`, 'utf8').includes('frozen'), 'the child to stop', 5000).catch(() => undefined);
    expect((await w.h.cli(['resume', session.id])).exitCode).toBe(0);
    const started = Date.now();
    expect((await w.h.cli(['terminate', session.id])).exitCode).toBe(0);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(4500);
    expect(took).toBeLessThan(9000);
    expect(uidRuns(session.isolation!.uid, defaultIsolationRoot(w.h.home))).toBe(false);
    expect(readFileSync(`${session.isolation!.workDir}/kept`, 'utf8')).toBe('kept\n');
    // A kept work dir holds files of its uid: no new session gets that uid while it is there.
    const next = await isolated(['--isolate']);
    expect(next.isolation!.uid).not.toBe(session.isolation!.uid);
    rmSync(session.isolation!.workDir, { recursive: true }); // kept on purpose: the test removes it
  });

  it(`${flags.join(' ')}: after a daemon SIGKILL no process of the session is left within 3 s; the next daemon brings it back under its uid with its work dir`, async () => {
    const session = await isolated([...flags, '--command', 'g=sh -c "echo here > mark; sleep 1000 & setsid sleep 1000 & wait"']);
    const { uid, workDir } = session.isolation!;
    await waitFor(() => existsSync(`${workDir}/mark`), 'the child to write in its work dir');
    const daemon = w.h.daemonPid()!;
    w.h.noteDaemon();
    process.kill(daemon, 'SIGKILL');
    await waitFor(() => !uidRuns(uid, defaultIsolationRoot(w.h.home)), `uid ${uid} to have no process`, 3000);
    const back = await waitFor(async () => {
      const info = await w.h.json<SessionInfo>(['info', session.id]);
      return info.status === 'active' ? info : null;
    }, 'the session to come back', 20_000);
    expect(back.isolation).toEqual(session.isolation);
    expect(readFileSync(`${workDir}/mark`, 'utf8')).toBe('here\n');
    expect(statSync(`/proc/${back.children[0]!.pid}`).uid).toBe(uid);
    w.h.noteSession(back);
  });
}
