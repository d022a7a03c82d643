import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import type { StoredEvent } from '../../src/contract/events.js';
import type { SessionInfo } from '../../src/contract/session.js';
import { waitFor } from '../helpers/proc.js';
import { Harness, SESSIONCTL } from '../cli/harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

describe('everything visible: events, logs, heartbeats', { timeout: 60_000 }, () => {
  it("events --follow shows a SIGKILLed child's exit and restart as they happen", async () => {
    const session = await h.create();
    const follower = execa(process.execPath, [SESSIONCTL, '--home', h.home, 'events', '--follow', '--json', '--session', session.id], { reject: false, buffer: false });
    const seen: StoredEvent[] = [];
    let partial = '';
    follower.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      seen.push(...lines.filter(Boolean).map((l) => JSON.parse(l) as StoredEvent));
    });
    try {
      await waitFor(() => seen.some((e) => e.type === 'session.active'), 'the backlog');
      const kill = await h.json<{ pid: number }>(['kill', session.id, '--child', 'placeholder']);
      const exited = await waitFor(() => seen.find((e) => e.type === 'child.exited'), 'child.exited, live');
      expect(exited).toMatchObject({ session: session.id, child: 'placeholder', signal: 'SIGKILL' });
      const restarted = await waitFor(() => seen.find((e) => e.type === 'child.restarted'), 'child.restarted, live');
      expect(restarted.pid).not.toBe(kill.pid);
      expect(seen.map((e) => e.seq)).toEqual([...seen.map((e) => e.seq)].sort((x, y) => x - y));
    } finally {
      follower.kill('SIGINT');
      await follower;
    }
    expect(follower.exitCode).toBe(0);
  });

  it("captures a child's output, readable with logs", async () => {
    const session = await h.create(['--command', 'talker=sh -c "echo hello from talker; echo and stderr >&2; exec sleep 1000"']);
    const logs = await waitFor(async () => {
      const result = await h.cli(['logs', session.id, '--child', 'talker']);
      return result.stdout.includes('and stderr') ? result : null;
    }, 'the lines to be logged');
    expect(logs.exitCode).toBe(0);
    expect(logs.stdout).toContain('hello from talker\n');
    expect((await h.cli(['logs', session.id, '--lines', '1'])).stdout.split('\n').filter(Boolean)).toHaveLength(1);
    const missing = await h.cli(['logs', session.id, '--child', 'nobody']);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toMatch(/no child named nobody; its children are talker/);
  });

  it('a SIGSTOPped Placeholder is replaced within 6 s of hanging, with a child.hung event', async () => {
    const session = await h.create();
    const pid = session.children[0]!.pid!;
    const stopped = Date.now();
    process.kill(pid, 'SIGSTOP');
    // Timed by the journal's own clock, not by how fast this test can poll through the CLI.
    const events = await waitFor(async () => {
      const lines = (await h.cli(['events', '--session', session.id, '--json'])).stdout.trim().split('\n');
      const all = lines.map((l) => JSON.parse(l) as StoredEvent);
      return all.some((e) => e.type === 'child.restarted' && e.pid !== pid) ? all : null;
    }, 'the hung placeholder to be replaced', 20_000);
    expect(events.find((e) => e.type === 'child.hung')).toMatchObject({ child: 'placeholder', pid });
    const restarted = events.find((e) => e.type === 'child.restarted' && e.pid !== pid)!;
    expect(Date.parse(restarted.at) - stopped).toBeLessThan(6000);
    const info = await h.json<SessionInfo>(['info', session.id]);
    h.noteSession(info);
    expect(info.children[0]!.lastExit).toMatchObject({ signal: 'SIGKILL', reason: 'hung' });
  });
});
