import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { parentNameFor } from '../../src/cgroup/detect.js';
import { tempHome } from '../helpers/proc.js';
import { CgroupFixture, cannotRun } from './harness.js';

const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
const hybridHost = / \/sys\/fs\/cgroup\/unified .* - cgroup2 /.test(mounts) && / \/sys\/fs\/cgroup\/memory .* - cgroup /.test(mounts);

describe.skipIf(cannotRun)(`detectCgroups on this host${cannotRun ? ` (skipped: ${cannotRun})` : ''}`, () => {
  let cgroups: CgroupFixture;
  afterEach(async () => expect(await cgroups.cleanup()).toEqual([]));

  it.runIf(hybridHost)('says hybrid: v1 memory, cpu and pids, the v2 freezer and cgroup.kill', () => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect();
    expect(support).toMatchObject({ mode: 'hybrid', reason: null, memory: 'v1', cpu: 'v1', pids: 'v1', freeze: 'v2', kill: 'v2', cpuUsage: 'v2' });
    expect(Object.keys(support.parents).sort()).toEqual(['cpu', 'memory', 'pids', 'unified']);
    expect(JSON.parse(JSON.stringify(support))).toEqual(support);
  });

  it('nests its parent under its own group in each hierarchy, named after the state dir', () => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect();
    const own = readFileSync('/proc/self/cgroup', 'utf8');
    for (const [hierarchy, dir] of Object.entries(support.parents)) {
      expect(existsSync(dir)).toBe(true);
      expect(dir.endsWith(`/${support.parentName}`)).toBe(true);
      const path = hierarchy === 'unified' ? /^0::(.*)$/m.exec(own)![1]! : new RegExp(`^\\d+:[^:]*\\b${hierarchy}\\b[^:]*:(.*)$`, 'm').exec(own)![1]!;
      expect(dir).toContain(`${path === '/' ? '' : path}/${support.parentName}`);
    }
    expect(support.parentName).toMatch(/^sessiond-[0-9a-f]{12}$/);
  });

  it('two state dirs get two parents; one state dir always the same', () => {
    const a = tempHome();
    const b = tempHome();
    expect(parentNameFor(a.dir)).not.toBe(parentNameFor(b.dir));
    expect(parentNameFor(a.dir)).toBe(parentNameFor(`${a.dir}/.`));
    a.cleanup();
    b.cleanup();
    cgroups = new CgroupFixture();
  });

  it.runIf(hybridHost)('with v1 alone: the v1 freezer, no cgroup.kill, CPU time from cpuacct', () => {
    cgroups = new CgroupFixture();
    expect(cgroups.detect({ versions: ['v1'] })).toMatchObject({ mode: 'v1', memory: 'v1', cpu: 'v1', pids: 'v1', freeze: 'v1', kill: null, cpuUsage: 'v1' });
  });

  it.runIf(hybridHost)('with v2 alone (no controllers here): freezer and kill only, and notes on what is missing', () => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect({ versions: ['v2'] });
    expect(support).toMatchObject({ mode: 'v2', memory: null, cpu: null, pids: null, freeze: 'v2', kill: 'v2', cpuUsage: 'v2' });
    expect(support.notes.join('\n')).toMatch(/memory: neither memory.max/);
  });

  it('turned off: none, saying so, and nothing created', () => {
    cgroups = new CgroupFixture();
    expect(cgroups.detect({ enabled: false })).toMatchObject({ mode: 'none', reason: 'turned off (--cgroups off)', parents: {}, memory: null, kill: null });
  });

  it('a host without cgroup mounts: none, with the reason', () => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect({ mountinfo: '22 1 0:21 / /proc rw - proc proc rw\n' });
    expect(support.mode).toBe('none');
    expect(support.reason).toMatch(/no cgroup filesystem is mounted/);
  });

  it('as a user without a delegated subtree: none, naming the directory it could not write', async () => {
    cgroups = new CgroupFixture();
    const dir = tempHome();
    chmodSync(dir.dir, 0o755);
    const bundle = join(dir.dir, 'cgroup.mjs');
    await build({ entryPoints: [new URL('../../src/cgroup/index.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
    const script = `import { detectCgroups } from ${JSON.stringify(bundle)}; console.log(JSON.stringify(detectCgroups({ stateDir: '/tmp/nobody' })));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: '/' });
    dir.cleanup();
    const support = JSON.parse(output);
    expect(support).toMatchObject({ mode: 'none', memory: null, freeze: null, kill: null, parents: {} });
    expect(support.reason).toMatch(/^no cgroup is writable by uid 65534 \((EACCES|EPERM|EROFS) on \/sys\/fs\/cgroup\/.*Delegate=yes/);
    expect(support.notes).toContainEqual(expect.stringMatching(/is not writable \((EACCES|EPERM|EROFS)\)$/));
  });
});
