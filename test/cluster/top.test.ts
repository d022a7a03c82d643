import { randomUUID } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortId } from '../../src/cli/top/view.js';
import type { SessionInfo } from '../../src/contract/session.js';
import { expectAllGone, SESSIONCTL } from '../cli/harness.js';
import { Cluster, waitFor } from './harness.js';

// A tmux server of our own (its own socket name), so nothing of anyone else's is touched.
const socket = `sessiond-ctop-${process.pid}-${randomUUID().slice(0, 8)}`;
const tmux = async (...args: string[]) => (await execa('tmux', ['-L', socket, ...args])).stdout;

describe('sessionctl --cluster top', { timeout: 90_000 }, () => {
  let cluster: Cluster;
  const panePids: number[] = [];
  beforeAll(async () => {
    cluster = await Cluster.start();
  }, 90_000);
  afterAll(async () => {
    await execa('tmux', ['-L', socket, 'kill-server'], { reject: false });
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid!()}`, socket), { force: true });
    await expectAllGone(panePids, 5000);
    await cluster?.teardown();
  }, 90_000);

  it('shows every node’s sessions live, each with its node, and q quits', async () => {
    const sessions: SessionInfo[] = [];
    for (const node of cluster.nodes) sessions.push(await cluster.create(['--node', node.name]));
    const file = join(cluster.client.home, 'run-top.sh');
    writeFileSync(file, ['#!/bin/sh', `"${process.execPath}" "${SESSIONCTL}" --cluster "${cluster.nats.url}" top`, 'echo "TOP-EXITED $?"', 'exec sleep 60', ''].join('\n'));
    chmodSync(file, 0o700);
    await tmux('new-session', '-d', '-s', 'a', '-x', '140', '-y', '30', file);
    panePids.push(Number(await tmux('display', '-p', '-t', 'a', '#{pane_pid}')));
    const screen = () => tmux('capture-pane', '-p', '-t', 'a');
    const view = await waitFor(async () => {
      const text = await screen();
      return sessions.every((s) => text.includes(shortId(s.id))) ? text : null;
    }, 'top to draw every node’s sessions');
    expect(view).toMatch(/sessiond cluster · 3\/3 nodes up · 3 sessions/);
    expect(view).toMatch(/ID\s+NODE\s+STATUS/);
    for (const s of sessions) expect(view).toMatch(new RegExp(`${shortId(s.id)}\\s+${s.node}\\s+active`));
    await tmux('send-keys', '-t', 'a', 'q');
    await waitFor(async () => ((await screen()).includes('TOP-EXITED 0') ? true : null), 'top to quit');
  });
});
