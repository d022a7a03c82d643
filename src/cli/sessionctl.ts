#!/usr/bin/env node
// sessionctl: the control CLI of sessiond. exec and attach, which an agent may run once per tool
// call, take a path of their own that loads no argument parser; every other command, and any
// --help, goes through yargs (main.ts). Each import is dynamic: scripts/bundle.mjs splits them.
import { streamCommandOf } from './stream-words.js';

const words = process.argv.slice(2);
if (streamCommandOf(words)) {
  const { runStreamCommand } = await import('./stream-command.js');
  const code = await runStreamCommand(words);
  // Its output is written (pipes and files are written synchronously); nothing else is left to wait for.
  process.exit(code);
} else await import('./main.js');
