// The Placeholder: the default child of a session. It answers init with ready and pings with
// pongs (the helper does both), stops on shutdown or SIGTERM, and does nothing else.
import { startChild } from '../src/child/index.js';

// No top-level await: the bundle is CommonJS (see scripts/bundle.mjs).
startChild().catch((error: Error) => {
  process.stderr.write(`placeholder: ${error.message}\n`);
  process.exit(2);
});
