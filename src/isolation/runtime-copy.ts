import { chmodSync, cpSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../process/entries.js';

/** What an isolated session's processes load from sessiond: the two bundles and the child helper (with its preloads). */
const FILES = ['children/session-supervisor.js', 'children/placeholder.js', 'children/package.json', 'src/child', 'src/ipc/child-messages.js'];

/** Where a copied file is, as entryPath() and childPreloads() name the originals. */
export interface RuntimeEntries {
  readonly supervisor: string;
  readonly placeholder: string;
  readonly nodeResolve: { readonly import: string; readonly require: string; readonly root: string };
}

/**
 * Copies what isolated sessions run into `dir` (root-owned, 0755 folders, 0644 files): the package
 * may live under a folder their users cannot enter (/root/…, a 0700 checkout), and they must not
 * be able to change what the next session runs. Done once at the daemon's start, atomically.
 */
export function copyRuntime(dir: string): RuntimeEntries {
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  for (const file of FILES) {
    const to = join(staging, file);
    mkdirSync(dirname(to), { recursive: true, mode: 0o755 });
    cpSync(join(PACKAGE_ROOT, 'dist', file), to, { recursive: true, filter: (src) => !src.endsWith('.map') && !src.endsWith('.d.ts') && !src.endsWith('.d.cts') });
  }
  chmodTree(staging);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  const anywhere = join(dir, 'src', 'child', 'anywhere');
  return {
    supervisor: join(dir, 'children', 'session-supervisor.js'),
    placeholder: join(dir, 'children', 'placeholder.js'),
    nodeResolve: { import: join(anywhere, 'import.js'), require: join(anywhere, 'require.cjs'), root: dir },
  };
}

function chmodTree(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) chmodTree(path);
    else chmodSync(path, 0o644);
  }
}

