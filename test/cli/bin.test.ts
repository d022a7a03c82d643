// The sessionctl users run (package.json's bin) is a CommonJS bundle holding exec and attach alone
// (Node 20 starts a CommonJS entry sooner: scripts/bundle.mjs); every other command loads
// main.cjs, the CommonJS bundle beside it, through V8's code cache (src/cli/code-cache.ts).
// dist/src/cli/sessionctl.js, the ES module entry, still runs by path.
import { appendFileSync, chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { codeCacheOf } from '../../src/cli/code-cache.js';
import { entryPath } from '../../src/process/entries.js';
import { Harness, SESSIONCTL } from './harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'bin', 'main.cjs');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: { sessionctl: string } };

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

// Runs the bin with every module it loads written to stderr: `cjs` and the files in require.cache at
// exit, `esm` and each URL the ES module loader resolves.
async function modulesLoaded(args: readonly string[]): Promise<{ exitCode: number | undefined; stdout: string; cjs: string[]; esm: string[]; builtins: string[] }> {
  const trace = join(h.home, 'trace.cjs');
  writeFileSync(trace, 'process.on("exit", () => { process._rawDebug("cjs " + JSON.stringify(Object.keys(require.cache))); process._rawDebug("builtins " + JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13)))); });\n');
  const hooks = join(h.home, 'hooks.mjs');
  writeFileSync(hooks, 'export async function resolve(s, c, next) { const r = await next(s, c); process._rawDebug("esm " + r.url); return r; }\n');
  const register = join(h.home, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const result = await execa(process.execPath, ['--require', trace, '--import', register, SESSIONCTL, '--home', h.home, ...args], { reject: false, stdin: 'ignore' });
  h.noteDaemon();
  const lines = result.stderr.split('\n');
  const cjs = JSON.parse(lines.find((line) => line.startsWith('cjs '))!.slice(4)) as string[];
  const builtins = JSON.parse(lines.find((line) => line.startsWith('builtins '))!.slice(9)) as string[];
  return { exitCode: result.exitCode, stdout: result.stdout, cjs, esm: lines.filter((line) => line.startsWith('esm ')).map((line) => line.slice(4)), builtins };
}

it('is a CommonJS file (.cjs, whatever the package type) that an exec runs alone: no ES module, no yargs, no zod', async () => {
  expect(PACKAGE.bin.sessionctl).toBe('dist/bin/sessionctl.cjs');
  const text = readFileSync(SESSIONCTL, 'utf8');
  expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
  // yargs is in main.cjs, which every other command requires, and not in the bin; nor is zod (scripts/bundle.mjs
  // fails a build whose bin holds any package).
  expect(readFileSync(MAIN, 'utf8').includes('yargs')).toBe(true);
  expect(text.includes('yargs')).toBe(false);
  expect(text.includes('zod')).toBe(false);
  await h.create(['--id', 'fast']);
  const exec = await modulesLoaded(['exec', 'fast', '--', 'echo', 'ran']);
  expect(exec).toMatchObject({ exitCode: 0, stdout: 'ran' });
  expect(exec.cjs.slice(1)).toEqual([SESSIONCTL]);
  // The hooks' --import has the ES module loader resolve the entry too: that, and nothing after it.
  expect(exec.esm).toEqual([pathToFileURL(SESSIONCTL).href]);
  // Nor a Node module it can do without: node:os (signal numbers, the home dir) only when asked, node:crypto never.
  expect(exec.builtins).toContain('net');
  expect(exec.builtins.filter((name) => ['os', 'crypto', 'vm', 'zlib', 'http'].includes(name))).toEqual([]);
  // Every other command goes on to main.cjs, required: no ES module either (the loader's lexer
  // would read all of main.cjs for its exports).
  const list = await modulesLoaded(['list', '--json']);
  expect(list).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('"fast"') });
  expect(list.cjs.slice(1)).toEqual([SESSIONCTL, MAIN]);
  expect(list.esm).toEqual([pathToFileURL(SESSIONCTL).href]);
});

it('runs every other command: --version, --help, list --json', async () => {
  expect(await h.cli(['--version'])).toMatchObject({ exitCode: 0, stdout: PACKAGE.version });
  const help = await h.cli(['--help']);
  expect(help.exitCode).toBe(0);
  expect(help.stdout).toMatch(/sessionctl exec <id>/);
  expect(await h.cli(['exec', '--help'])).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('--timeout-ms') });
  expect(await h.cli(['list', '--json'])).toMatchObject({ exitCode: 0, stdout: '[]' });
});

it('keeps main.cjs compiled in a code cache beside it: written by a first run, used by the next, remade when refused or its file changed, never needed', async () => {
  // A copy of the bin and main.cjs in a package of their own (main.cjs looks for its root), so that this
  // test alone writes their cache: registry-key needs nothing else.
  const root = mkdtempSync(join(tmpdir(), 'sessiond-code-cache-'));
  const dir = join(root, 'dist', 'bin');
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(root, 'package.json'), '{}\n');
    for (const file of ['sessionctl.cjs', 'main.cjs']) copyFileSync(join(ROOT, 'dist', 'bin', file), join(dir, file));
    const cacheDir = join(dir, '.code-cache');
    const cacheOf = () => codeCacheOf(join(dir, 'main.cjs'));
    const key = async (uid?: number) => {
      const as = uid === undefined ? {} : { uid, gid: uid, env: { HOME: h.home } };
      const run = await execa(process.execPath, [join(dir, 'sessionctl.cjs'), 'registry-key', 'x'], { reject: false, stdin: 'ignore', ...as });
      expect({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr.slice(-1000) }).toEqual({ exitCode: 0, stdout: 'session_supervisor:x', stderr: '' });
    };
    await key();
    const written = readFileSync(cacheOf());
    expect(written.length).toBeGreaterThan(10_000);
    const { mtimeMs } = statSync(cacheOf());
    await key(); // V8 took it: nothing is written again
    expect(statSync(cacheOf()).mtimeMs).toBe(mtimeMs);
    expect(readdirSync(cacheDir)).toEqual([basename(cacheOf())]);
    // A cache V8 refuses (here: not one at all) is run past, and made again.
    writeFileSync(cacheOf(), Buffer.alloc(written.length, 7));
    await key();
    expect(readFileSync(cacheOf()).equals(Buffer.alloc(written.length, 7))).toBe(false);
    // An edited main.cjs is never run from the cache of the file it was: a cache of its own.
    appendFileSync(join(dir, 'main.cjs'), '\n// edited\n');
    await key();
    expect(readdirSync(cacheDir)).toHaveLength(2);
    expect(readdirSync(cacheDir)).toContain(basename(cacheOf()));
    // A user who may not write the folder (an install of someone else's) runs it uncached, as well.
    rmSync(cacheDir, { recursive: true });
    for (const folder of [root, join(root, 'dist'), dir]) chmodSync(folder, 0o755);
    chownSync(h.home, 65534, 65534); // its state dir
    await key(65534);
    expect(readdirSync(dir).sort()).toEqual(['main.cjs', 'sessionctl.cjs']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

it('starts the daemon of this package for an exec, run through a link as npm installs it', async () => {
  const link = join(h.home, 'sessionctl');
  symlinkSync(SESSIONCTL, link);
  const exec = await execa(link, ['--home', h.home, 'exec', 'nobody', '--', 'true'], { reject: false, stdin: 'ignore' });
  h.noteDaemon();
  expect(exec.exitCode, exec.stderr).toBe(3); // not found: asked of a daemon it started
  const pid = h.daemonPid()!;
  expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1]).toBe(entryPath('sessiond'));
  expect(readlinkSync(link)).toBe(SESSIONCTL);
});

it('the ES module entry still runs by path: exec and yargs commands', async () => {
  const esm = join(ROOT, 'dist', 'src', 'cli', 'sessionctl.js');
  await h.create(['--id', 'by-path']);
  const run = (args: readonly string[]) => execa(process.execPath, [esm, '--home', h.home, ...args], { reject: false, stdin: 'ignore' });
  expect(await run(['exec', 'by-path', '--', 'sh', '-c', 'echo out; exit 5'])).toMatchObject({ exitCode: 5, stdout: 'out' });
  expect(await run(['--version'])).toMatchObject({ exitCode: 0, stdout: PACKAGE.version });
});
