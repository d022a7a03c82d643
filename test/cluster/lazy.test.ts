import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { Harness, SESSIONCTL } from '../cli/harness.js';
import { tempHome } from '../helpers/proc.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist');
const dir = tempHome('sessiond-lazy-');
afterAll(() => dir.cleanup());

it('sessionctl holds no NATS client: it is loaded from dist/vendor/nats.cjs only with --cluster', () => {
  for (const entry of [SESSIONCTL, join(DIST, 'src', 'cli', 'sessionctl.js')]) {
    const cli = readFileSync(entry, 'utf8');
    expect(cli.includes('NoRespondersError'), entry).toBe(false);
    expect(cli.includes('ZodError'), entry).toBe(false); // nor the socket's schemas, which the cluster's client once pulled in
  }
  expect(readFileSync(join(DIST, 'vendor', 'nats.cjs'), 'utf8')).toContain('NoRespondersError');
});

// @nats-io/nuid@3 declares node >= 22: a user's npm install warned EBADENGINE. The client ships
// bundled in dist/vendor/nats.cjs, so no @nats-io package is installed with sessiond.
it('ships the NATS client bundled: no @nats-io package among its dependencies, and the bundle loads with no node_modules', async () => {
  const manifest = JSON.parse(readFileSync(join(DIST, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@nats-io/'))).toEqual([]);
  const alone = join(dir.dir, 'nats.cjs');
  copyFileSync(join(DIST, 'vendor', 'nats.cjs'), alone);
  const loaded = await execa(process.execPath, ['-e', `console.log(Object.keys(require(${JSON.stringify(alone)})).sort().join())`], { cwd: dir.dir });
  expect(loaded.stdout).toBe('Kvm,connect,createInbox,credsAuthenticator,headers');
});

// Every module the CLI loads is written to stderr: as the ESM loader resolves it, and what was required by its exit.
async function modulesLoaded(args: readonly string[], home = dir.dir, entry = join(DIST, 'src', 'cli', 'sessionctl.js')): Promise<string> {
  const hooks = join(dir.dir, 'hooks.mjs');
  writeFileSync(hooks, 'export async function resolve(s, c, next) { const r = await next(s, c); process._rawDebug("loaded " + r.url); return r; }\n');
  const register = join(dir.dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const trace = join(dir.dir, 'trace.cjs');
  writeFileSync(trace, 'process.on("exit", () => { for (const file of Object.keys(require.cache)) process._rawDebug("loaded " + file); });\n');
  const result = await execa(process.execPath, ['--import', register, '--require', trace, entry, ...args], { reject: false, env: { SESSIOND_HOME: home } });
  return result.stderr;
}

it('a command without --cluster never loads it; one with --cluster does', async () => {
  const local = await modulesLoaded(['registry-key', 'abcd']);
  expect(local).toContain('sessionctl.js');
  expect(local).not.toMatch(/nats/);
  const remote = await modulesLoaded(['--cluster', 'nats://127.0.0.1:1', 'nodes']);
  expect(remote).toMatch(/loaded .*dist\/vendor\/nats\.cjs/);
  expect(remote).toMatch(/cluster cannot be reached at nats:\/\/127\.0\.0\.1:1/);
  // The bin users run (main.cjs from its code cache) loads it the same way.
  const bin = await modulesLoaded(['--cluster', 'nats://127.0.0.1:1', 'nodes'], dir.dir, SESSIONCTL);
  expect(bin).toMatch(/loaded .*dist\/vendor\/nats\.cjs/);
  expect(bin).toMatch(/cluster cannot be reached at nats:\/\/127\.0\.0\.1:1/);
});

it('a plain sessionctl create never loads it', async () => {
  const h = new Harness();
  try {
    await h.cli(['daemon', 'start']);
    h.noteDaemon();
    const loaded = await modulesLoaded(['create', '--id', 'plain'], h.home);
    expect(loaded).toContain('sessionctl.js');
    expect(loaded).not.toMatch(/nats/);
    h.noteSession(await h.json<SessionInfo>(['info', 'plain']));
  } finally {
    await h.teardown();
  }
});
