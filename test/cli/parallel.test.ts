import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { isRunning, runningDescendants } from '../helpers/proc.js';
import { Harness } from './harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

it('20 create in parallel give 20 active sessions with distinct ids; 20 terminate in parallel leave nothing', { timeout: 120_000 }, async () => {
  await h.cli(['daemon', 'start']);
  const created = await Promise.all(Array.from({ length: 20 }, () => h.cli(['create'])));
  expect(created.map((c) => c.exitCode)).toEqual(Array(20).fill(0));
  const ids = created.map((c) => c.stdout.trim());
  expect(new Set(ids).size).toBe(20);

  const sessions = await h.json<SessionInfo[]>(['list']);
  expect(sessions.map((s) => s.id).sort()).toEqual([...ids].sort());
  expect(sessions.every((s) => s.status === 'active')).toBe(true);
  for (const s of sessions) h.noteSession(s);
  const daemon = h.daemonPid()!;
  // A supervisor and a placeholder each, seen in /proc under the daemon (which may also keep a spare supervisor warm).
  const pids = sessions.flatMap((s) => [s.supervisorPid!, ...s.children.map((c) => c.pid!)]);
  expect(new Set(pids).size).toBe(40);
  const descendants = runningDescendants(daemon);
  expect(pids.filter((pid) => !descendants.includes(pid))).toEqual([]);

  const terminated = await Promise.all(ids.map((id) => h.cli(['terminate', id])));
  expect(terminated.map((t) => t.exitCode)).toEqual(Array(20).fill(0));
  expect(pids.filter(isRunning)).toEqual([]);
  expect(await h.json<SessionInfo[]>(['list'])).toEqual([]);
  const all = await h.json<SessionInfo[]>(['list', '--all']);
  expect(all.filter((s) => s.status === 'terminated')).toHaveLength(20);
});
