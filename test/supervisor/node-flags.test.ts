import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { childPreloads, PACKAGE_ROOT } from '../../src/process/entries.js';
import { nodeFlags } from '../../src/supervisor/node-flags.js';
import { tempHome } from '../helpers/proc.js';

const { dir, cleanup } = tempHome('sessiond-flags-');
afterAll(cleanup);
const paths = childPreloads();
const hook = ['--import', pathToFileURL(paths.import).href];

function place(path: string, text = ''): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('nodeFlags: what a Node child needs to import sessiond/child from where it is', () => {
  it('nothing inside this package, nor where a node_modules above the file has sessiond', () => {
    expect(nodeFlags(join(PACKAGE_ROOT, 'test', 'fixtures', 'agent.mjs'), '/', paths)).toEqual([]);
    mkdirSync(join(dir, 'app', 'node_modules', 'sessiond'), { recursive: true });
    expect(nodeFlags(place(join(dir, 'app', 'src', 'agent.mjs')), '/', paths)).toEqual([]);
  });

  it('the resolve hook for an ES module, or a .js that may be one; the CommonJS patch for CommonJS', () => {
    expect(nodeFlags(place(join(dir, 'loose', 'agent.mjs')), '/', paths)).toEqual(hook);
    expect(nodeFlags('agent.js', join(dir, 'loose'), paths)).toEqual(hook); // relative to the child's cwd
    expect(nodeFlags(place(join(dir, 'loose', 'agent.cjs')), '/', paths)).toEqual(['--require', paths.require]);
    place(join(dir, 'cjs', 'package.json'), '{ "type": "commonjs" }');
    expect(nodeFlags(place(join(dir, 'cjs', 'lib', 'agent.js')), '/', paths)).toEqual(['--require', paths.require]);
    expect(nodeFlags(place(join(dir, 'cjs', 'lib', 'agent.mjs')), '/', paths)).toEqual(hook);
  });

  it('nothing when the supervisor was given no preloads (in-process tests)', () => {
    expect(nodeFlags(join(dir, 'loose', 'agent.mjs'), '/', undefined)).toEqual([]);
  });
});
