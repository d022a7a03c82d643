// How the sessionctl bin loads dist/bin/main.cjs (every command but exec and attach): as Node's
// require would, plus V8's code cache, which Node 20 does not keep (22 has module.enableCompileCache).
// Compiling main.cjs's 210 KB takes ~11 ms of every command here; from its cache, ~2 ms.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * Runs the CommonJS file `file` and returns its exports, compiled from the cache beside it
 * (`.code-cache/`) when V8 accepts it. Without one, or with one V8 refuses (another Node, other
 * flags), the cache is written as the process exits: by then it holds every function this run
 * compiled, not only the file's top level. A cache is named by its file's size and mtime, so an
 * edited file never runs another file's code; a folder that cannot be written leaves it uncached.
 */
export function requireCached(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  const cache = codeCacheOf(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cache);
  } catch {
    // none yet: this run writes it
  }
  // No import() in it: Node 20 loses a cached script's dynamic import callback (the NATS client is required).
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => save(cache, script));
  const module = new Module(file);
  module.filename = file;
  // As require would: its own require (paths relative to it), and a place in require.cache.
  const ownRequire = createRequire(file);
  ownRequire.cache[file] = module;
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, ownRequire, module, file, dirname(file));
  module.loaded = true;
  return module.exports;
}

/** Where the cache of `file` as it is now is kept: named by its size and mtime. */
export function codeCacheOf(file: string): string {
  const { size, mtimeMs } = statSync(file);
  return join(dirname(file), '.code-cache', `${basename(file)}-${size}-${Math.trunc(mtimeMs)}`);
}

// Written whole or not at all (a rename), however many runs write it at once.
function save(cache: string, script: Script): void {
  try {
    mkdirSync(dirname(cache), { recursive: true });
    const partial = `${cache}.${process.pid}`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cache);
  } catch {
    // a folder it may not write (an install of another user's): it runs uncached
  }
}
