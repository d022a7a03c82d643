// Loaded first (node --import) in an ES module Node child whose folder has no sessiond of its
// own: `import { startChild } from 'sessiond/child'` then finds this install's helper (and
// require() does too). The supervisor adds it only where the child could not find sessiond.
import * as module from 'node:module';
import './require.cjs';
import { resolveSync } from './hooks.js';

type RegisterHooks = (hooks: { resolve: typeof resolveSync }) => unknown;
const { registerHooks } = module as { registerHooks?: RegisterHooks };

// Node 20 has only module.register, whose hooks run in a worker thread (a few ms of start-up);
// newer Nodes run synchronous hooks in the child's own thread.
if (registerHooks) registerHooks({ resolve: resolveSync });
else module.register('./hooks.js', import.meta.url);
