import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { attackResults, createWithSpec, FIXTURES, isolationWorld, SESSIONCTL, sharedDir } from './harness.js';

// Each test starts real sessions (some under bubblewrap) through the CLI: minutes on a loaded 2-core host.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

// A real attacker (test/fixtures/attacker.mjs) inside a session tries to reach the daemon, another
// session and the host; inside an isolated session each attempt must be refused by the kernel
// while the victim goes on untouched, and the same attempts from a plain session must succeed
// (so that a test which cannot fail is caught).

const w = isolationWorld([`${FIXTURES}/attacker.mjs`]);
let outside: ReturnType<typeof sharedDir>;
let listener: Server;
let port: number;

beforeEach(async () => {
  outside = sharedDir([], 0o1777);
  listener = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
});

afterEach(() => {
  listener.close();
  outside.cleanup();
});

async function victim(flags: string[]): Promise<SessionInfo> {
  const session = await w.h.create(['--command', 'v=sh -c "echo victim-secret; exec sleep 1000"', '--memory-max', '512M', ...flags]);
  w.track(session);
  return session;
}

async function attacker(target: SessionInfo, terminate: string, flags: string[], signal: 'SIGKILL' | '0'): Promise<Record<string, string>> {
  const env = {
    ATTACK_HOME: w.h.home,
    ATTACK_SESSIONCTL: SESSIONCTL,
    ATTACK_TERMINATE: terminate,
    ATTACK_DAEMON: String(w.h.daemonPid()),
    ATTACK_VICTIM_CHILD: String(target.children[0]!.pid),
    ATTACK_VICTIM_SUPERVISOR: String(target.supervisorPid),
    ATTACK_VICTIM_LOG: `${w.h.home}/logs/sessions/${target.id}/v.log`,
    ATTACK_VICTIM_WORKDIR: target.isolation?.workDir ?? target.children[0]!.cwd,
    ATTACK_OUTSIDE_DIR: outside.dir,
    ATTACK_PORT: String(port),
    ATTACK_SIGNAL: signal,
  };
  const session = await createWithSpec(w.h, w.shared.dir, { name: 'attacker', command: process.execPath, args: [`${w.shared.dir}/attacker.mjs`], env }, ['--memory-max', '512M', ...flags]);
  w.track(session);
  return attackResults(w.h, session.id);
}

async function expectUntouched(before: SessionInfo): Promise<void> {
  const after = await w.h.json<SessionInfo>(['info', before.id]);
  expect(after.status).toBe('active');
  expect(after.supervisorPid).toBe(before.supervisorPid);
  expect(after.children[0]!.pid).toBe(before.children[0]!.pid);
  expect(after.restarts).toBe(0);
}

it('an isolated session cannot reach the daemon, another session, their secrets or its own limits; the victim goes on', async () => {
  const target = await victim(['--isolate']);
  const daemon = w.h.daemonPid();
  const results = await attacker(target, target.id, ['--isolate'], 'SIGKILL');
  expect(results).toMatchObject({
    socket: 'EACCES',
    readStore: 'EACCES',
    readLogs: 'EACCES',
    readEnviron: 'EACCES',
    writeWorkDir: 'EACCES',
    leaveCgroup: 'EACCES',
    enterSupervisorLeaf: 'EACCES',
    raiseLimit: 'EACCES',
    killVictimChild: 'EPERM',
    killVictimSupervisor: 'EPERM',
    killDaemon: 'EPERM',
    // What --isolate alone does not stop: a folder anyone may write, and the network.
    writeOutside: 'ok',
    network: 'ok',
    writeOwnWorkDir: 'ok',
  });
  expect(results.terminate).not.toBe('ok');
  await expectUntouched(target);
  expect(w.h.daemonPid()).toBe(daemon);
});

it('with --read-only and --no-network it cannot write outside its work dir nor reach a listener on the host', async () => {
  const target = await victim(['--isolate']);
  const results = await attacker(target, target.id, ['--read-only', '--no-network'], 'SIGKILL');
  // The state dir may not even be there: under /tmp, it is hidden by the session's private /tmp.
  expect(results).toMatchObject({ writeOutside: 'EROFS', network: 'ECONNREFUSED', writeOwnWorkDir: 'ok', socket: expect.stringMatching(/^(EACCES|ENOENT)$/), killVictimChild: 'EPERM', killDaemon: 'EPERM' });
  await expectUntouched(target);
});

it('the same attacks from a plain session succeed (signals sent as 0: they would land)', async () => {
  const target = await victim(['--isolate']);
  const spare = await victim([]);
  const results = await attacker(target, spare.id, ['--cwd', outside.dir], '0');
  for (const attack of ['socket', 'readStore', 'readLogs', 'readEnviron', 'writeWorkDir', 'writeOutside', 'leaveCgroup', 'enterSupervisorLeaf', 'raiseLimit', 'network', 'killVictimChild', 'killVictimSupervisor', 'killDaemon', 'terminate']) {
    expect(results[attack], attack).toBe('ok');
  }
  expect((await w.h.json<SessionInfo>(['info', spare.id])).status).toBe('terminated');
});
