// Loaded first (node --require) in a CommonJS Node child whose folder has no sessiond of its own:
// `require('sessiond/child')` then finds this install's helper. Only a failed lookup is changed,
// so a sessiond installed next to the child always wins. Module._resolveFilename is internal,
// but it is what require() has called since Node 0.x, and what module-alias and others patch.
import Module = require('node:module');
import path = require('node:path');

const TARGETS: Readonly<Record<string, string>> = {
  'sessiond/child': path.join(__dirname, '..', 'index.js'),
  sessiond: path.join(__dirname, '..', '..', 'index.js'),
};

type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string;
const internals = Module as unknown as { _resolveFilename: ResolveFilename };
const resolveFilename = internals._resolveFilename;

internals._resolveFilename = function (request, ...rest) {
  try {
    return resolveFilename.call(this, request, ...rest);
  } catch (error) {
    const target = TARGETS[request];
    if (target === undefined || (error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    return target;
  }
};
