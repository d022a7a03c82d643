// Bundles, over tsc's output, the entries whose start-up someone waits for: the supervisor and
// the Placeholder (every session starts them) and sessionctl (every command). One file loads far
// faster than a tree of node_modules; npm run bench measures it (the startup and exec scenarios).
// `node scripts/bundle.mjs --sizes` also prints what each bundle holds.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';

// The children are CommonJS: Node 20 starts a CommonJS entry ~5 ms sooner than an ES module (its
// ESM loader is not set up), which is a third of the supervisor's budget. Their folder gets a
// package.json saying so, so the paths stay dist/children/*.js. Each lists the only packages it
// may hold (checked below).
const children = [
  { entry: 'dist/children/session-supervisor.js', packages: [] },
  { entry: 'dist/children/placeholder.js', packages: [] },
];

const COMMON = {
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

// string-width (yargs's and cliui's, for --help's layout) makes an Intl.Segmenter and a Unicode
// property regex as it loads: ~30 ms of every command's start-up here, spent before any help is
// asked for. Each import of it gets this stand-in, which says what string-width says of printable
// ASCII (a column a character) and loads the real one, from the importer's own version, for anything else.
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup: (b) => {
    b.onResolve({ filter: /^string-width$/ }, ({ namespace, resolveDir }) => (namespace === 'lazy-string-width' ? undefined : { path: resolveDir, namespace: 'lazy-string-width' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, ({ path }) => ({
      resolveDir: path,
      loader: 'js',
      contents: `let real;
export default function stringWidth(text, options) {
  if (typeof text === 'string' && /^[\\x20-\\x7e]*$/.test(text)) return text.length;
  real ??= require('string-width').default;
  return real(text, options);
}`,
    }));
  },
};

// yargs's platform shim imports node:assert, loaded with every command before anything needs it,
// for two checks of its own state made on every parse. Its import gets this stand-in: the same
// checks (Object.is, as assert's), and the real module only to throw. With node:crypto left to
// unitName (src/cli/systemd-unit.ts), main.cjs evaluates in ~24 ms here, from ~28.
const lazyAssert = {
  name: 'lazy-assert',
  setup: (b) => {
    b.onResolve({ filter: /^assert$/ }, ({ importer }) => (/[\\/]node_modules[\\/]yargs[\\/]/.test(importer) ? { path: 'assert', namespace: 'lazy-assert' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-assert' }, () => ({
      loader: 'js',
      contents: `export function notStrictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) require('node:assert').notStrictEqual(actual, expected, message);
}
export function strictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) require('node:assert').strictEqual(actual, expected, message);
}`,
    }));
  },
};

// The CLI, built twice from tsc's sessionctl.js (below): bundle it only fresh from tsc (a second
// run would bundle the bundle).
const CLI = 'dist/src/cli/sessionctl.js';
const cliFresh = !(await readFile(CLI, 'utf8')).includes('./chunks/');
if (cliFresh) await rm('dist/src/cli/chunks', { recursive: true, force: true });

// The bin users run (package.json's) is CommonJS, for the same reason as the children: exec and
// attach alone (an agent may run one per tool call), and beside it dist/bin/main.cjs, every other
// command (yargs and all), which the bin loads only for them, through V8's code cache
// (src/cli/code-cache.ts: compiling its 210 KB costs ~11 ms; the bin's own 35 KB are not worth the
// cache's loading). Built first: the ES module build below rewrites the files these read.
const BIN = { entry: 'dist/bin/sessionctl.cjs', packages: [] };
const MAIN = 'dist/bin/main.cjs';
// The cluster's client stays in both bundles (~17 KB of the bin): as a file of its own it would
// bring a SessiondError class of its own, which no `instanceof` in them would recognize.
const CJS = {
  ...COMMON,
  format: 'cjs',
  // CommonJS has no import.meta: the code that finds the package root from it gets this file's URL
  // (src/process/entries.ts, yargs's own files), and yargs's import.meta.resolve (for a config's
  // `extends`, which sessionctl never reads) is require.resolve; any other use of import.meta fails the build.
  define: { 'import.meta.url': '__sessiondModuleUrl', 'import.meta.resolve': 'require.resolve' },
  logOverride: { 'empty-import-meta': 'error' },
  banner: { js: "'use strict';const __sessiondModuleUrl=require('node:url').pathToFileURL(__filename).href;" },
  // NATS loads only with --cluster, from dist/vendor/nats.cjs; node-pty only on a supervisor.
  external: ['@nats-io/*', '@lydell/node-pty'],
  plugins: [lazyStringWidth, lazyAssert, {
    // The bin's import of main.js is main.cjs through the code cache, by a module of its own: an
    // import() would load it with the ES module loader, whose lexer reads all 210 KB for its exports (~30 ms).
    name: 'main-required',
    setup: (b) => {
      b.onResolve({ filter: /^\.\/main\.js$/ }, ({ importer }) => (importer.endsWith('/cli/sessionctl.js') ? { path: 'main.cjs', namespace: 'require-cached' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'require-cached' }, ({ path }) => ({
        contents: `module.exports = require('./code-cache.js').requireCached(require('node:path').join(__dirname, '${path}'));`,
        resolveDir: resolve('dist/src/cli'),
        loader: 'js',
      }));
    },
  }],
};
const [bin] = cliFresh ? await Promise.all([build({ ...CJS, entryPoints: [CLI], outfile: BIN.entry }), build({ ...CJS, entryPoints: ['dist/src/cli/main.js'], outfile: MAIN })]) : [];
// A rebuilt main.cjs runs no cache of the one before (each is named by its file's size and mtime: this only tidies).
if (cliFresh) await rm('dist/bin/.code-cache', { recursive: true, force: true });

const bundles = await Promise.all([
  // node-pty is native and loaded only for an exec with a tty: required at run time, never bundled.
  ...children.map(({ entry }) => build({ ...COMMON, entryPoints: [entry], outfile: entry, format: 'cjs', external: ['@lydell/node-pty'] })),
  // The CLI as an ES module, for callers by path (dist/src/cli/sessionctl.js, and main.js for its
  // other commands): split at its dynamic imports, so that `exec` and `attach` load their own small
  // chunk, never yargs, zod or the other commands.
  cliFresh && build({
    ...COMMON,
    entryPoints: [CLI, 'dist/src/cli/main.js'],
    outdir: 'dist/src/cli',
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    format: 'esm',
    // Some dependencies are CommonJS and call require(): give the ESM bundle one. The shebang
    // stays on the first line (esbuild keeps it above the banner).
    banner: { js: "import{createRequire as __sessiondRequire}from'node:module';const require=__sessiondRequire(import.meta.url);" },
    // The NATS client is loaded only with --cluster, from dist/vendor/nats.cjs (below).
    external: ['@nats-io/*'],
    plugins: [lazyStringWidth, lazyAssert],
  }),
  // The NATS client in one file (src/cluster/nats.ts requires it): its tree of ES modules takes ~5× longer to load.
  // It is all users get of it: the @nats-io packages are devDependencies (@nats-io/nuid@3 declares
  // node >= 22, and an install warned EBADENGINE; package.json's overrides take 2.0.3, same API, node >= 18).
  build({
    ...COMMON,
    stdin: {
      contents: "export { connect, credsAuthenticator, headers, createInbox } from '@nats-io/transport-node'; export { Kvm } from '@nats-io/kv';",
      resolveDir: process.cwd(),
      sourcefile: 'nats-vendor.js',
    },
    // CommonJS, required: no import(), which sessionctl's main.cjs could not make, compiled from
    // V8's code cache (Node 20 drops a cached script's dynamic import callback).
    outfile: 'dist/vendor/nats.cjs',
    format: 'cjs',
  }),
  // The daemon: a first `sessionctl create` waits for it to load (a tree of ~300 files: ~25% more
  // CPU than one bundle). better-sqlite3 is native; prom-client is loaded only with --metrics.
  build({
    ...COMMON,
    entryPoints: ['dist/daemon/sessiond.js'],
    outfile: 'dist/daemon/sessiond.js',
    format: 'esm',
    // The NATS client (dist/vendor/nats.cjs) loads only with --cluster; node-pty only for an exec with a tty.
    external: ['better-sqlite3', 'prom-client', '@nats-io/*', '@lydell/node-pty'],
    banner: { js: "import{createRequire as __sessiondRequire}from'node:module';const require=__sessiondRequire(import.meta.url);" },
  }),
]);
await writeFile('dist/children/package.json', '{ "type": "commonjs" }\n');

/** Bytes in the output by package (our own files under "sessiond"). */
function contents(metafile, file) {
  const output = metafile.outputs[file];
  const byPackage = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'sessiond';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return { bytes: output.bytes, byPackage };
}

// A dependency that sneaks into one of these fails the build instead of slowing what waits for it.
const guarded = [...children.map((child, i) => [child, bundles[i], 'every session']), ...(bin ? [[BIN, bin, 'every sessionctl exec']] : [])];
for (const [{ entry, packages }, { metafile }, who] of guarded) {
  const extra = [...contents(metafile, entry).byPackage.keys()].filter((name) => name !== 'sessiond' && !packages.includes(name));
  if (extra.length) throw new Error(`${entry} now bundles ${extra.join(', ')}: ${who} would load it; import it outside its tree, or allow it in scripts/bundle.mjs if the bench says it is free`);
}

if (process.argv.includes('--sizes')) {
  for (const { metafile } of [bin, ...bundles].filter(Boolean)) {
    for (const file of Object.keys(metafile.outputs)) {
      const { bytes, byPackage } = contents(metafile, file);
      console.log(`${file}: ${bytes} bytes`);
      for (const [name, size] of [...byPackage].sort((a, b) => b[1] - a[1])) console.log(`  ${String(size).padStart(8)}  ${name}`);
    }
  }
}
