import { describe, expect, it } from 'vitest';
import { startFailureText } from '../../src/supervisor/start-failure.js';

// What Node 20 prints when an ES module imports a package that is not installed.
const MISSING_PACKAGE = [
  'node:internal/modules/esm/resolve:873',
  '  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);',
  '        ^',
  '',
  "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'left-pad' imported from /home/me/agent.mjs",
  '    at packageResolve (node:internal/modules/esm/resolve:873:9)',
  '    at moduleResolve (node:internal/modules/esm/resolve:946:18)',
  '    at ModuleLoader.import (node:internal/modules/esm/loader:340:24) {',
  "  code: 'ERR_MODULE_NOT_FOUND'",
  '}',
  '',
  'Node.js v20.19.0',
];

describe('startFailureText', () => {
  it("puts the error's own line first, then where it was thrown; the stack's tail is left out", () => {
    expect(startFailureText('agent', 'exited (exit code 1) before it was ready', MISSING_PACKAGE)).toBe(
      "child agent exited (exit code 1) before it was ready: Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'left-pad' imported from /home/me/agent.mjs; " +
        'it printed: node:internal/modules/esm/resolve:873 | throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);',
    );
  });

  it.each([
    ['TypeError: x is not a function', true],
    ['SyntaxError: Unexpected token', true],
    ['error: unknown option --nope', true],
    ["throw new Error('bad config');", false],
    ['    at main (file:///a.mjs:1:7)', false],
  ])('%j states an error: %s', (line, states) => {
    expect(startFailureText('c', 'failed', ['before', line, 'after'])).toBe(states ? `child c failed: ${line.trim()}; it printed: before` : `child c failed; it printed: before | ${line.trim()} | after`);
  });

  it('without an error line, the last lines as they were', () => {
    expect(startFailureText('b', 'exited (exit code 3) before it was ready', ['boom: bad config'])).toBe('child b exited (exit code 3) before it was ready; it printed: boom: bad config');
    expect(startFailureText('b', 'failed', [])).toBe('child b failed');
  });
});
