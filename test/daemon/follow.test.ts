import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/contract/events.js';
import type { SessionInfo } from '../../src/contract/session.js';
import { ensureDaemon } from '../../src/control/autostart.js';
import { SessionClient } from '../../src/control/client.js';
import { statePaths } from '../../src/contract/paths.js';
import { decodeRecords, plainText } from '../../src/logs/log-records.js';
import { Harness, SESSIONCTL } from '../cli/harness.js';
import { expectAllGone, waitFor } from '../helpers/proc.js';

let h: Harness;
const followers: ResultPromise[] = [];
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  for (const follower of followers.splice(0)) {
    follower.kill('SIGKILL');
    await follower.catch(() => undefined);
  }
  await h.teardown();
});

/** A `sessionctl … --follow` process whose stdout is collected as it comes. */
function follow(args: readonly string[], env: Record<string, string> = {}) {
  const subprocess = execa(process.execPath, [SESSIONCTL, '--home', h.home, ...args], { reject: false, buffer: false, stdin: 'ignore', env });
  followers.push(subprocess);
  let stdout = '';
  let stderr = '';
  subprocess.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  subprocess.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    subprocess,
    stdout: () => stdout,
    stderr: () => stderr,
    events: () => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as StoredEvent),
  };
}

describe('followers ride out a daemon restart', { timeout: 90_000 }, () => {
  it('events --follow goes on across daemon restart: events from before and after, consecutive seqs, none twice', async () => {
    const session = await h.create();
    const follower = follow(['events', '--follow', '--json']);
    await waitFor(() => follower.events().some((e) => e.type === 'session.active'), 'the backlog');
    expect((await h.cli(['daemon', 'restart'])).exitCode).toBe(0);
    await waitFor(() => follower.events().some((e) => e.type === 'session.resurrected'), 'the new daemon to bring the session back');
    await waitFor(() => follower.events().filter((e) => e.type === 'session.active').length === 2, 'the session active again');
    // And still live: a kill after the restart is seen.
    h.noteSession(await h.json<SessionInfo>(['info', session.id]));
    await h.cli(['kill', session.id, '--child', 'placeholder']);
    await waitFor(() => follower.events().some((e) => e.type === 'child.restarted'), 'child.restarted, after the restart');
    follower.subprocess.kill('SIGINT');
    await follower.subprocess;
    expect(follower.subprocess.exitCode).toBe(0);
    const seqs = follower.events().map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(follower.stderr()).toMatch(/sessiond is restarting.*\n.*sessiond is back/);
  });

  it('logs --follow goes on at the byte where it left off: what it printed is the log, nothing lost or twice', async () => {
    const session = await h.create(['--command', 'counter=sh -c "i=0; while :; do i=$((i+1)); echo line $i; sleep 0.05; done"']);
    const follower = follow(['logs', session.id, '--follow', '--lines', '100000']);
    await waitFor(() => follower.stdout().includes('line 5\n'), 'the first lines');
    expect((await h.cli(['daemon', 'restart'])).exitCode).toBe(0);
    // The child starts counting again in the new daemon's session: its "line 1" shows up a second time.
    await waitFor(() => follower.stdout().split('line 1\n').length === 3 && follower.stdout().includes('line 5\nline 6'), 'lines from after the restart');
    h.noteSession(await h.json<SessionInfo>(['info', session.id]));
    expect((await h.cli(['terminate', session.id])).exitCode).toBe(0);
    const log = join(h.home, 'logs', 'sessions', session.id, 'counter.log');
    // The file holds stamped records; what the child printed is their text.
    const printed = () => plainText(decodeRecords(readFileSync(log, 'utf8')));
    await waitFor(() => follower.stdout().length === printed().length, 'the follower to catch up with the log');
    expect(follower.stdout()).toBe(printed());
    // A follower of one session ends by itself once the session is terminated and its last lines are out.
    await follower.subprocess;
    expect(follower.subprocess.exitCode).toBe(0);
  });

  it('gives up when the daemon stays away, naming the --since to resume from', async () => {
    const session = await h.create();
    const follower = follow(['events', '--follow', '--json'], { SESSIONCTL_RECONNECT_MS: '1500' });
    await waitFor(() => follower.events().some((e) => e.type === 'session.active'), 'the backlog');
    const daemon = h.daemonPid()!;
    process.kill(daemon, 'SIGKILL');
    await follower.subprocess;
    expect(follower.subprocess.exitCode).toBe(1);
    const last = follower.events().at(-1)!.seq;
    expect(follower.stderr()).toMatch(new RegExp(`did not come back within 1.5 s .*; resume with --since ${last}\\n$`));
    // Nobody started a daemon meanwhile: a follower never does.
    expect(h.daemonPid() === daemon || h.daemonPid() === null).toBe(true);
    await expectAllGone([daemon, session.supervisorPid!, session.children[0]!.pid!], 5000);
  });

  it('ends with exit 0 and says so when the daemon is stopped on purpose', async () => {
    await h.create();
    const follower = follow(['events', '--follow', '--json']);
    await waitFor(() => follower.events().some((e) => e.type === 'session.active'), 'the backlog');
    expect((await h.cli(['daemon', 'stop'])).exitCode).toBe(0);
    await follower.subprocess;
    expect(follower.subprocess.exitCode).toBe(0);
    expect(follower.events().at(-1)).toMatchObject({ type: 'session.terminated' });
    expect(follower.stderr()).toMatch(new RegExp(`sessiond was stopped: .*; the stream ends here \\(resume with --since ${follower.events().at(-1)!.seq}\\)`));
  });

  it("SessionClient's events stream goes on across a restart, telling onNotice, and ends quietly on abort", async () => {
    await h.create();
    const client = new SessionClient({ home: h.home });
    const seen: StoredEvent[] = [];
    const notices: string[] = [];
    const stop = new AbortController();
    const following = client.events({ follow: true, onNotice: (n) => notices.push(n) }, (e) => seen.push(e), stop.signal);
    try {
      await waitFor(() => seen.some((e) => e.type === 'session.active'), 'the backlog');
      await client.restart();
      await waitFor(() => notices.length === 1, 'the notice that the daemon went');
      await ensureDaemon(statePaths(h.home));
      h.noteDaemon();
      await waitFor(() => seen.some((e) => e.type === 'session.resurrected'), 'events of the new daemon');
      expect(notices).toEqual([expect.stringMatching(/restarting/), 'sessiond is back; the stream goes on where it left off']);
      for (const session of await client.listSessions()) h.noteSession(session);
    } finally {
      stop.abort();
      await following;
      client.close();
    }
    expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
  });
});
