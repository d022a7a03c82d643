import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bwrapArgv } from '../../src/isolation/bwrap-argv.js';
import { cleanEnv, ISOLATED_PATH } from '../../src/isolation/clean-env.js';
import { hostUids, parseUidRange, pickUid } from '../../src/isolation/uid-pool.js';

const base = { workDir: '/w/s1', runtime: '/r' };

it('bwrap: --read-only binds / read-only with a private /tmp and the work dir writable; --no-network unshares the net', () => {
  const ro = bwrapArgv({ ...base, readOnly: true, network: true });
  expect(ro.join(' ')).toContain('--ro-bind / / --dev /dev --tmpfs /tmp');
  expect(ro.join(' ')).toContain('--bind /w/s1 /w/s1');
  expect(ro).not.toContain('--unshare-net');
  const net = bwrapArgv({ ...base, readOnly: false, network: false });
  expect(net).toContain('--unshare-net');
  expect(net.join(' ')).toContain('--bind / /');
  expect(net).not.toContain('--tmpfs');
  for (const argv of [ro, net]) {
    // Its own session (the daemon's SIGTERM reaches the supervisor, not bwrap); host pids; ends with the command.
    expect(argv).toEqual(expect.arrayContaining(['--unshare-user', '--new-session', '--chdir']));
    expect(argv).not.toContain('--unshare-pid');
    expect(argv).not.toContain('--die-with-parent');
    expect(argv.at(-1)).toBe('--');
  }
});

it('clean env: PATH, HOME, USER, LOGNAME, LANG, TERM and nothing of the daemon', () => {
  const env = cleanEnv({ uid: 2000005, workDir: '/w/s1' }, { SESSIOND_HOME: '/x', XDG_STATE_HOME: '/y', LANG: 'de_DE.UTF-8', TERM: 'xterm-256color', SECRET: 's' });
  expect(env).toEqual({ PATH: ISOLATED_PATH, HOME: '/w/s1', USER: 'sessiond-2000005', LOGNAME: 'sessiond-2000005', LANG: 'de_DE.UTF-8', TERM: 'xterm-256color' });
  expect(cleanEnv({ uid: 1, workDir: '/w' }, { LANG: 'x;rm -rf', TERM: '$(x)' })).toMatchObject({ LANG: 'C.UTF-8', TERM: 'dumb' });
});

it('uid range: FIRST-LAST parsed once; bad ones name the flag', () => {
  expect(parseUidRange('2000000-2000009')).toEqual({ first: 2000000, last: 2000009 });
  for (const bad of ['', '5', '10-5', '0-10', '1-4294967295', 'a-b']) expect(() => parseUidRange(bad), bad).toThrow(/--uid-range/);
});

it('pickUid: the first free uid from where it left off, wrapping round; null when all are taken', () => {
  const range = { first: 10, last: 14 };
  expect(pickUid(range, 10, () => false)).toBe(10);
  expect(pickUid(range, 13, (u) => u === 13)).toBe(14);
  expect(pickUid(range, 14, (u) => u === 14)).toBe(10);
  expect(pickUid(range, 10, () => true)).toBeNull();
});

it('host uids: login users, groups and subordinate ranges are never handed out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sessiond-uids-'));
  try {
    const files = { passwd: join(dir, 'passwd'), group: join(dir, 'group'), subuid: join(dir, 'subuid'), subgid: join(dir, 'subgid') };
    writeFileSync(files.passwd, 'root:x:0:0::/root:/bin/sh\nalice:x:2000003:2000003::/home/a:/bin/sh\n');
    writeFileSync(files.group, 'g:x:2000004:\n');
    writeFileSync(files.subuid, 'alice:2100000:65536\n');
    writeFileSync(files.subgid, '');
    const taken = hostUids(files);
    expect([0, 2000003, 2000004, 2100000, 2165535].every(taken)).toBe(true);
    expect([2000000, 2165536].some(taken)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
