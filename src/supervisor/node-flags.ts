import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where this install's preloads are (src/child/anywhere/), and its package root. */
export interface NodeResolve {
  /** The ES module preload (node --import): a resolve hook, and the CommonJS one. */
  readonly import: string;
  /** The CommonJS preload (node --require). */
  readonly require: string;
  readonly root: string;
}

/**
 * The node flags a Node child needs so that `import … from 'sessiond/child'` works from its file
 * wherever it is: none when sessiond is found from there already (the child is in this package,
 * or a node_modules above it has sessiond); `--require` of a tiny CommonJS patch for a CommonJS
 * file (.cjs, or in a package of "type": "commonjs"); else `--import` of the resolve hook (what
 * that costs: the bench's startup.hook figures).
 */
export function nodeFlags(file: string, cwd: string, paths: NodeResolve | undefined): string[] {
  if (!paths) return [];
  const path = resolve(cwd, file);
  if (path.startsWith(paths.root + sep)) return [];
  let type: string | null = null;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', 'sessiond'))) return [];
    type ??= packageType(dir);
    if (dirname(dir) === dir) break;
  }
  // Node 20.19 runs a .js with import statements as an ES module unless its package says commonjs.
  const commonjs = extname(path) === '.cjs' || (extname(path) !== '.mjs' && type === 'commonjs');
  return commonjs ? ['--require', paths.require] : ['--import', pathToFileURL(paths.import).href];
}

// The "type" of the package.json in `dir` ('' when it has none), or null when there is no such file.
function packageType(dir: string): string | null {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return null;
  try {
    const type = (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type;
    return typeof type === 'string' ? type : '';
  } catch {
    return '';
  }
}
