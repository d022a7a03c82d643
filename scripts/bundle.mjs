// Bundles, over tsc's output, the entries whose start-up someone waits for: the supervisor and
// the Placeholder (every session starts them) and sessionctl (every command). One file loads far
// faster than a tree of node_modules; npm run bench measures it.
import { build } from 'esbuild';

const entries = ['dist/children/session-supervisor.js', 'dist/children/placeholder.js', 'dist/src/cli/sessionctl.js'];

await Promise.all(
  entries.map((entry) =>
    build({
      entryPoints: [entry],
      outfile: entry,
      allowOverwrite: true,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'warning',
      // Some dependencies are CommonJS and call require(): give the ESM bundle one. The shebang
      // of sessionctl stays on the first line (esbuild keeps it above the banner).
      banner: { js: "import{createRequire as __sessiondRequire}from'node:module';const require=__sessiondRequire(import.meta.url);" },
    }),
  ),
);
