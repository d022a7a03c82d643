import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package root, found from this file whether it runs from src/ (tests) or dist/ (built).
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('sessiond: cannot find its package root');
    dir = parent;
  }
  return dir;
}

/** The folder holding sessiond's package.json, whether run from the checkout, a link or a global install. */
export const PACKAGE_ROOT = packageRoot();

/** The built entry of a process sessiond spawns: children run compiled JavaScript, never sources. */
export function entryPath(name: 'session-supervisor' | 'placeholder' | 'sessiond'): string {
  const folder = name === 'sessiond' ? 'daemon' : 'children';
  return join(PACKAGE_ROOT, 'dist', folder, `${name}.js`);
}

/** Node's flags for every session supervisor: `gc` for a spare's sweep of its young generation as it goes ready (supervisor/rehearsal.ts). */
export const SUPERVISOR_NODE_ARGS: readonly string[] = ['--expose-gc'];

/** The preloads that let a Node child anywhere import 'sessiond/child' (src/child/anywhere/, supervisor/node-flags.ts). */
export function childPreloads(): { import: string; require: string; root: string } {
  const dir = join(PACKAGE_ROOT, 'dist', 'src', 'child', 'anywhere');
  return { import: join(dir, 'import.js'), require: join(dir, 'require.cjs'), root: PACKAGE_ROOT };
}
