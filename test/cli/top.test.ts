import { randomUUID } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shortId } from '../../src/cli/top/view.js';
import { expectAllGone, Harness, SESSIONCTL, waitFor } from './harness.js';

let h: Harness;
// A tmux server of our own (its own socket name), so nothing of anyone else's is touched.
const socket = `sessiond-top-${process.pid}-${randomUUID().slice(0, 8)}`;
const tmux = async (...args: string[]) => (await execa('tmux', ['-L', socket, ...args])).stdout;
const panePids: number[] = [];

beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await execa('tmux', ['-L', socket, 'kill-server'], { reject: false });
  // kill-server leaves its socket file behind.
  rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid!()}`, socket), { force: true });
  await expectAllGone(panePids, 5000);
  await h.teardown();
});

// A shell in the pane: a line before top, top itself, then how top left the terminal.
function script(): string {
  const file = join(h.home, 'run-top.sh');
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      'echo BEFORE-TOP',
      `"${process.execPath}" "${SESSIONCTL}" --home "${h.home}" top`,
      'echo "TOP-EXITED $?"',
      "echo \"TTY $(stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' ')\"",
      'exec sleep 60',
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o700);
  return file;
}

async function open(name: string): Promise<void> {
  await tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '30', script());
  panePids.push(Number(await tmux('display', '-p', '-t', name, '#{pane_pid}')));
}
const screen = (name: string) => tmux('capture-pane', '-p', '-t', name);
const flags = async (name: string) => (await tmux('display', '-p', '-t', name, '#{alternate_on} #{cursor_flag}')).split(' ');

describe('sessionctl top', { timeout: 60_000 }, () => {
  it('shows every session live, refreshes each second, and q restores the terminal', async () => {
    const first = await h.create(['--id', 'first-session']);
    const second = await h.create();
    await open('a');
    const view = await waitFor(async () => {
      const text = await screen('a');
      return text.includes(shortId(second.id)) ? text : null;
    }, 'top to draw');
    const lines = view.split('\n');
    expect(lines[0]).toMatch(/^sessiond \S+ · pid \d+ · up .* · 2 sessions · cpu [\d.]+% · rss /);
    expect(lines[1]).toMatch(/^ID\s+STATUS\s+CHILDREN\s+RESTARTS\s+UPTIME\s+CPU\s+RSS\s+NAMES$/);
    expect(lines[2]).toMatch(/^first-session\s+active\s+1\/1\s+0\s+\d+s\s+[\d.]+%\s+[\d.]+ MiB\s+placeholder$/);
    expect(lines[3]).toMatch(new RegExp(`^${shortId(second.id)}\\s+active\\s+1/1`));
    expect(view).toMatch(/q quit/);
    expect(view).not.toContain('BEFORE-TOP'); // the alternate screen
    expect(await flags('a')).toEqual(['1', '0']);

    // Refreshed: a new session and a restart show up without a key pressed.
    const third = await h.create(['--id', 'third']);
    await h.cli(['kill', first.id, '--child', 'placeholder']);
    await waitFor(async () => {
      const text = await screen('a');
      return text.includes('third') && /^first-session\s+active\s+1\/1\s+1\s/m.test(text);
    }, 'top to show the third session and the restart');
    h.noteSession(third);

    await tmux('send-keys', '-t', 'a', 'q');
    const after = await waitFor(async () => {
      const text = await screen('a');
      return text.includes('TTY ') ? text : null;
    }, 'top to exit');
    expect(after).toMatch(/^BEFORE-TOP\nTOP-EXITED 0\nTTY icanon echo/);
    expect(after).not.toContain('q quit');
    expect(await flags('a')).toEqual(['0', '1']);
  });

  it('Ctrl-C quits as q does; a daemon that goes away is shown, not restarted', async () => {
    await h.create();
    await open('b');
    await waitFor(async () => (await screen('b')).includes('· 1 session ·'), 'top to draw');
    const daemon = h.daemonPid()!;
    expect((await h.cli(['daemon', 'stop'])).exitCode).toBe(0);
    await waitFor(async () => (await screen('b')).includes('sessiond: no answer'), 'top to see the daemon gone');
    expect(h.daemonPid()).toBeNull();
    await tmux('send-keys', '-t', 'b', 'C-c');
    const after = await waitFor(async () => {
      const text = await screen('b');
      return text.includes('TTY ') ? text : null;
    }, 'top to exit');
    expect(after).toMatch(/^BEFORE-TOP\nTOP-EXITED 0\nTTY icanon echo/);
    expect(await flags('b')).toEqual(['0', '1']);
    expect(daemon).toBeGreaterThan(0);
  });
});
