import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { tempHome } from '../helpers/proc.js';
import { Harness, waitFor } from './harness.js';

let h: Harness;
let folder: ReturnType<typeof tempHome>;
beforeEach(() => {
  h = new Harness();
  // The user's own folder, outside this repository, with no node_modules: sessiond is not installed there.
  folder = tempHome('sessiond-user-');
});
afterEach(async () => {
  await h.teardown();
  folder.cleanup();
});

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

describe("a Node child anywhere imports 'sessiond/child'", { timeout: 30_000 }, () => {
  it('an ES module (import) and a CommonJS one (require), in a folder without sessiond', async () => {
    writeFileSync(join(folder.dir, 'agent.mjs'), "import { startChild } from 'sessiond/child';\nconst child = await startChild();\nconsole.log(`esm ${child.init.name} ready`);\n");
    writeFileSync(join(folder.dir, 'worker.cjs'), "const { startChild } = require('sessiond/child');\nstartChild().then((child) => console.log(`cjs ${child.init.name} ready`));\n");
    const created = await h.cli(['create', '--child', 'agent=agent.mjs', '--child', 'worker=worker.cjs', '--json'], { cwd: folder.dir });
    expect(created.stderr).toMatch(/^(starting sessiond…)?$/); // the notice of a slow autostart (a loaded host), nothing else
    expect(created.exitCode).toBe(0);
    const session = JSON.parse(created.stdout) as SessionInfo;
    h.noteSession(session);
    expect(session.status).toBe('active');
    await waitFor(async () => (await h.cli(['logs', session.id, '--all'])).stdout.includes('worker | cjs worker ready'), 'the CommonJS child to print');
    expect((await h.cli(['logs', session.id, '--child', 'agent'])).stdout).toBe('esm agent ready');
    // The ES module got the resolve hook, the CommonJS one the require patch; a session's Placeholder gets neither.
    const [agent, worker] = session.children.map((c) => cmdline(c.pid!));
    expect(agent!.some((a) => a === '--import')).toBe(true);
    expect(worker!.includes('--require') && !worker!.includes('--import')).toBe(true);
    const placeholder = await h.create();
    expect(cmdline(placeholder.children[0]!.pid!).some((a) => a === '--import' || a === '--require')).toBe(false);
  });

  it("a start that fails names the error's own line first: a package that is not installed", async () => {
    writeFileSync(join(folder.dir, 'broken.mjs'), "import leftPad from 'no-such-package-h8';\nleftPad();\n");
    const created = await h.cli(['create', '--child', 'broken=broken.mjs'], { cwd: folder.dir });
    expect(created.exitCode).toBe(1);
    expect(created.stderr).toMatch(/child broken exited \(exit code 1\) before it was ready: Error \[ERR_MODULE_NOT_FOUND\]: Cannot find package 'no-such-package-h8' imported from \S+broken\.mjs;/);
  });
});
