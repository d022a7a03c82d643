#!/usr/bin/env node
// sessionctl: the control CLI of sessiond. exec and attach, which an agent may run once per tool
// call, take a path of their own that loads no argument parser; every other command, and any
// --help, goes through yargs (main.ts). scripts/bundle.mjs builds this file twice: as the bin,
// dist/bin/sessionctl.cjs (CommonJS, holding the fast path; main.ts is dist/bin/main.cjs beside
// it), and as dist/src/cli/sessionctl.js (an ES module split at each import, for callers by path).
// No top-level await: CommonJS has none.
import { streamCommandOf } from './stream-words.js';

const words = process.argv.slice(2);
if (streamCommandOf(words)) {
  void import('./stream-command.js')
    .then(({ runStreamCommand }) => runStreamCommand(words))
    // Its output is written (pipes and files are written synchronously); nothing else is left to wait for.
    .then((code) => process.exit(code));
} else void import('./main.js').then(({ main }) => main());
