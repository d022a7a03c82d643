// Bundles the entries of processes that every session starts (supervisor, Placeholder) into one
// file each, over tsc's output: one file loads far faster than a tree of node_modules, and each
// session pays for these loads (npm run bench measures it).
import { build } from 'esbuild';

const entries = ['dist/children/session-supervisor.js', 'dist/children/placeholder.js'];

await build({
  entryPoints: entries,
  outdir: 'dist/children',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require(): give the ESM bundle one.
  banner: { js: "import{createRequire as __sessiondRequire}from'node:module';const require=__sessiondRequire(import.meta.url);" },
});
