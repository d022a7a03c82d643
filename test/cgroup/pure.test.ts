import { describe, expect, it } from 'vitest';
import { SessiondError } from '../../src/contract/errors.js';
import { cpuQuotaUs, enforcementOf, limitWrites, refusedLimits, supportFor } from '../../src/cgroup/limit-writes.js';
import { ownDirs, parseMountinfo, parseProcCgroup } from '../../src/cgroup/proc-cgroup.js';
import type { CgroupSupport } from '../../src/cgroup/types.js';
import { controllersToEnable } from '../../src/cgroup/v2-delegate.js';
import { NO_LIMITS } from '../../src/limits/limits.js';

const HYBRID_CGROUP = '9:name=systemd:/\n8:pids:/\n6:freezer:/\n4:memory:/process_api/abc\n2:cpuacct:/\n1:cpu:/\n0::/\n';
const HYBRID_MOUNTS = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct',
  '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer',
  '39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('own groups from /proc/PID/cgroup and mountinfo', () => {
  it('a hybrid host: each v1 controller at its mount, nested where the process is', () => {
    const dirs = ownDirs(parseMountinfo(HYBRID_MOUNTS), parseProcCgroup(HYBRID_CGROUP));
    expect(Object.fromEntries(dirs)).toEqual({
      cpu: '/sys/fs/cgroup/cpu',
      cpuacct: '/sys/fs/cgroup/cpuacct',
      memory: '/sys/fs/cgroup/memory/process_api/abc',
      freezer: '/sys/fs/cgroup/freezer',
      pids: '/sys/fs/cgroup/pids',
      unified: '/sys/fs/cgroup/unified',
    });
  });

  it('a systemd v2 host: the unit group under the one mount', () => {
    const mounts = '30 24 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot';
    const dirs = ownDirs(parseMountinfo(mounts), parseProcCgroup('0::/system.slice/sessiond.service\n'));
    expect(Object.fromEntries(dirs)).toEqual({ unified: '/sys/fs/cgroup/system.slice/sessiond.service' });
  });

  it('co-mounted cpu,cpuacct share one directory; a mount of a subtree maps paths below its root', () => {
    const mounts = [
      '40 31 0:40 /docker/x /sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup rw,cpu,cpuacct',
      '41 31 0:41 /docker/x /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory',
    ].join('\n');
    const dirs = ownDirs(parseMountinfo(mounts), parseProcCgroup('5:cpu,cpuacct:/docker/x/a\n4:memory:/elsewhere\n'));
    expect(Object.fromEntries(dirs)).toEqual({ cpu: '/sys/fs/cgroup/cpu,cpuacct/a', cpuacct: '/sys/fs/cgroup/cpu,cpuacct/a' });
  });

  it('unescapes octal in mount points and skips a namespace path outside the mount', () => {
    const mounts = '41 31 0:38 / /mnt/cg\\040two rw - cgroup2 cgroup2 rw';
    expect(Object.fromEntries(ownDirs(parseMountinfo(mounts), parseProcCgroup('0::/a\n')))).toEqual({ unified: '/mnt/cg two/a' });
    expect(ownDirs(parseMountinfo(mounts), parseProcCgroup('0::/../b\n')).size).toBe(0);
    const nested = '41 31 0:38 /x /mnt/cg rw - cgroup2 cgroup2 rw';
    expect(ownDirs(parseMountinfo(nested), parseProcCgroup('0::/y\n')).size).toBe(0);
  });
});

describe('controllersToEnable', () => {
  it.each([
    [['cpuset', 'cpu', 'io', 'memory', 'pids'], [], ['memory', 'cpu', 'pids']],
    [['cpu', 'memory', 'pids'], ['memory'], ['cpu', 'pids']],
    [['hugetlb'], [], []],
    [['memory', 'pids', 'cpu'], ['memory', 'pids', 'cpu'], []],
  ])('available %j, enabled %j → %j', (available, enabled, expected) => {
    expect(controllersToEnable(new Set(available), new Set(enabled))).toEqual(expected);
  });
});

const support = (over: Partial<CgroupSupport>): CgroupSupport => ({
  mode: 'hybrid', reason: null, parentName: 'sessiond-x', parents: {}, memory: null, cpu: null, cpuUsage: null, pids: null, freeze: null, kill: null, notes: [],
  ...over,
});
const ALL = { memoryMax: 100 * 1024 * 1024, cpuMax: 50, maxProcesses: 64 };

describe('limitWrites', () => {
  it('v2: memory.max with swap off, cpu.max as quota and period on the session; pids.max on its children leaf', () => {
    expect(limitWrites(support({ mode: 'v2', memory: 'v2', cpu: 'v2', pids: 'v2' }), ALL)).toEqual([
      { hierarchy: 'unified', leaf: null, file: 'memory.max', value: '104857600', optional: false },
      { hierarchy: 'unified', leaf: null, file: 'memory.swap.max', value: '0', optional: true },
      { hierarchy: 'unified', leaf: null, file: 'cpu.max', value: '50000 100000', optional: false },
      { hierarchy: 'unified', leaf: 'children', file: 'pids.max', value: '64', optional: false },
    ]);
  });
  it('v1: the limit before memsw, the period before the quota; pids.max on the children leaf', () => {
    expect(limitWrites(support({ memory: 'v1', cpu: 'v1', pids: 'v1' }), ALL)).toEqual([
      { hierarchy: 'memory', leaf: null, file: 'memory.limit_in_bytes', value: '104857600', optional: false },
      { hierarchy: 'memory', leaf: null, file: 'memory.memsw.limit_in_bytes', value: '104857600', optional: true },
      { hierarchy: 'cpu', leaf: null, file: 'cpu.cfs_period_us', value: '100000', optional: false },
      { hierarchy: 'cpu', leaf: null, file: 'cpu.cfs_quota_us', value: '50000', optional: false },
      { hierarchy: 'pids', leaf: 'children', file: 'pids.max', value: '64', optional: false },
    ]);
  });
  it('no limits: nothing to write', () => {
    expect(limitWrites(support({ memory: 'v1' }), NO_LIMITS)).toEqual([]);
  });
  it('memory without a memory controller is left to the watchdog; cpu and pids without theirs are refused', () => {
    const freezeOnly = support({ mode: 'v2', freeze: 'v2', kill: 'v2' });
    expect(limitWrites(freezeOnly, { ...NO_LIMITS, memoryMax: 1 << 20 })).toEqual([]);
    expect(enforcementOf(freezeOnly, { ...NO_LIMITS, memoryMax: 1 << 20 })).toBe('watchdog');
    let error: unknown;
    try {
      limitWrites(freezeOnly, ALL);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SessiondError);
    expect((error as SessiondError).code).toBe('not_supported');
    expect((error as SessiondError).message).toMatch(/cpuMax needs the cpu controller.*; maxProcesses needs the pids controller/);
  });
  it('a host without cgroups names its reason', () => {
    const none = support({ mode: 'none', reason: 'turned off (--cgroups off)' });
    expect(refusedLimits(none, { ...NO_LIMITS, cpuMax: 10 })).toEqual([expect.stringContaining('cgroups none: turned off (--cgroups off)')]);
    expect(refusedLimits(none, { ...NO_LIMITS, memoryMax: 10 })).toEqual([]);
  });
  it('enforcement: null without limits, cgroup where the kernel holds them all', () => {
    expect(enforcementOf(support({ memory: 'v1' }), NO_LIMITS)).toBeNull();
    expect(enforcementOf(support({ memory: 'v1', cpu: 'v1' }), { ...NO_LIMITS, memoryMax: 5, cpuMax: 5 })).toBe('cgroup');
  });
});

describe('supportFor: the hierarchies a session joins', () => {
  const hybrid = support({ memory: 'v1', cpu: 'v1', cpuUsage: 'v2', parents: { memory: '/m/p', cpu: '/c/p', unified: '/u/p' } });
  it('a v1 cpu group only with cpuMax: without, the session competes as its processes do', () => {
    expect(supportFor(hybrid, NO_LIMITS).parents).toEqual({ memory: '/m/p', unified: '/u/p' });
    expect(supportFor(hybrid, NO_LIMITS).cpuUsage).toBe('v2');
    expect(supportFor(hybrid, { ...NO_LIMITS, cpuMax: 50 })).toBe(hybrid);
  });
  it('co-mounted cpu,cpuacct goes with it, and CPU time is then read from /proc; v2 is left whole', () => {
    const v1 = support({ cpu: 'v1', cpuUsage: 'v1', parents: { cpu: '/cc/p', cpuacct: '/cc/p', pids: '/p/p' } });
    expect(supportFor(v1, NO_LIMITS)).toMatchObject({ parents: { pids: '/p/p' }, cpuUsage: null });
    const v2 = support({ mode: 'v2', cpu: 'v2', parents: { unified: '/u/p' } });
    expect(supportFor(v2, NO_LIMITS)).toBe(v2);
  });
});

describe('cpuQuotaUs', () => {
  it.each([[50, 50_000], [100, 100_000], [150, 150_000], [0.5, 1000], [33.3, 33_300]])('%s percent → %s µs per 100 ms', (percent, quota) => {
    expect(cpuQuotaUs(percent)).toBe(quota);
  });
});
