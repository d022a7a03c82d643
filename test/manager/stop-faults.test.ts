// A stop never hangs: whatever fails in its last steps (the cgroup's kill, its removal), the
// session still ends terminated, and the manager's shutdown returns.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CgroupSupport } from '../../src/cgroup/index.js';
import { Harness } from './harness.js';

let h: Harness | undefined;
let tree: string | undefined;
afterEach(async () => {
  await h?.close();
  if (tree) rmSync(tree, { recursive: true, force: true });
  h = tree = undefined;
});

// A "cgroup tree" of plain directories: real files the kill writes, where a fault can be planted.
function plainTree(): CgroupSupport {
  tree = mkdtempSync(join(tmpdir(), 'sessiond-fake-cgroup-'));
  return { mode: 'v2', reason: null, parentName: 'fake', parents: { unified: tree }, memory: null, cpu: null, cpuUsage: null, pids: null, freeze: null, kill: 'v2', notes: [] };
}

describe('a stop that cannot hang', { timeout: 30_000 }, () => {
  it('the cgroup kill throwing at the end of a stop still ends the session terminated', async () => {
    const cgroups = plainTree();
    h = new Harness({ cgroups, warmSupervisors: 0 });
    const id = await h.create({ id: 'stubborn-group' });
    // cgroup.kill as a directory: writing it fails with EISDIR, as a kernel refusal would.
    mkdirSync(join(tree!, `s-${id}`, 'cgroup.kill'));
    const ended = await Promise.race([h.manager.terminateSession(id).then(() => 'ended'), new Promise((resolve) => setTimeout(resolve, 15_000, 'hung'))]);
    expect(ended).toBe('ended');
    const info = await h.manager.getSessionInfo(id);
    expect(info.status).toBe('terminated');
    expect(h.events.filter((e) => e.session === id).map((e) => e.type)).toContain('session.terminated');
  });
});
