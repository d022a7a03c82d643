import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildCreateInput, childFlagsInOrder } from '../../src/cli/create-input.js';
import { tempHome } from '../helpers/proc.js';

let dir: { dir: string; cleanup: () => void };
beforeEach(() => {
  dir = tempHome('sessiond-input-');
});
afterEach(() => dir.cleanup());

it('keeps --child and --command in the order given', () => {
  expect(childFlagsInOrder(['create', '--command', 'a=sleep 1', '--child=b=./b.js', '--json', '--command', 'c=x', '--', '--child', 'z'])).toEqual([
    { kind: 'command', value: 'a=sleep 1' },
    { kind: 'child', value: 'b=./b.js' },
    { kind: 'command', value: 'c=x' },
  ]);
});

it('builds the spec from flags, resolving files against the cwd and splitting command lines', () => {
  const input = buildCreateInput(
    {
      id: 's1',
      metadata: ['a=1', 'b=x=y'],
      llmConfig: '{"model":"m"}',
      children: [{ kind: 'child', value: 'agent=lib/agent.js' }, { kind: 'command', value: `web=python3 -c 'print(1)'` }],
      strategy: 'one_for_all',
      maxRestarts: 2,
      maxSeconds: 1.5,
    },
    '/work/app',
  );
  expect(input).toEqual({
    id: 's1',
    metadata: { a: '1', b: 'x=y' },
    llmConfig: { model: 'm' },
    children: [{ name: 'agent', file: '/work/app/lib/agent.js' }, { name: 'web', command: 'python3', args: ['-c', 'print(1)'] }],
    strategy: 'one_for_all',
    maxRestarts: 2,
    maxSeconds: 1.5,
  });
});

it('lays flags over a spec file, whose own child files are relative to it', () => {
  mkdirSync(join(dir.dir, 'specs'));
  writeFileSync(
    join(dir.dir, 'specs', 's.json'),
    JSON.stringify({ id: 'from-spec', metadata: { a: 1, b: 2 }, llmConfig: { model: 'x', api_key: 'k' }, children: [{ name: 'c', file: 'c.js' }], maxRestarts: 9 }),
  );
  const input = buildCreateInput({ spec: 'specs/s.json', id: 'flag', metadata: ['b=3'], llmConfig: '{"model":"y"}' }, dir.dir);
  expect(input).toEqual({
    id: 'flag',
    metadata: { a: 1, b: '3' },
    llmConfig: { model: 'y', api_key: 'k' },
    children: [{ name: 'c', file: join(dir.dir, 'specs', 'c.js') }],
    maxRestarts: 9,
  });
});

it.each([
  [{ llmConfig: '{oops' }, /--llm-config is not valid JSON/],
  [{ llmConfig: '"str"' }, /--llm-config must be a JSON object/],
  [{ metadata: ['=v'] }, /--metadata "=v": expected K=V/],
  [{ children: [{ kind: 'command' as const, value: 'x=' }] }, /command line is empty/],
  [{ children: [{ kind: 'child' as const, value: 'nofile' }] }, /expected NAME=FILE/],
  [{ spec: 'missing.json' }, /cannot read spec file .*missing\.json: ENOENT/],
])('refuses %j', (flags, message) => {
  expect(() => buildCreateInput(flags, dir.dir)).toThrow(expect.objectContaining({ code: 'invalid_params', message: expect.stringMatching(message) }));
});

it('refuses a spec file that is not JSON, or not an object', () => {
  writeFileSync(join(dir.dir, 'bad.json'), '{ children: [');
  writeFileSync(join(dir.dir, 'list.json'), '[]');
  expect(() => buildCreateInput({ spec: 'bad.json' }, dir.dir)).toThrow(/is not valid JSON/);
  expect(() => buildCreateInput({ spec: 'list.json' }, dir.dir)).toThrow(/must hold a JSON object/);
});

it("resolves a spec child's cwd against the spec file's directory; keeps significant; --auto-shutdown over the spec's", () => {
  mkdirSync(join(dir.dir, 'specs'));
  writeFileSync(
    join(dir.dir, 'specs', 'live.json'),
    JSON.stringify({ autoShutdown: 'all_significant', children: [{ name: 'a', file: 'a.mjs', cwd: 'work', restart: 'temporary', significant: true }, { name: 'b', command: 'sleep', cwd: '/abs' }] }),
  );
  const input = buildCreateInput({ spec: 'specs/live.json', autoShutdown: 'any_significant' }, dir.dir);
  expect(input).toEqual({
    autoShutdown: 'any_significant',
    children: [
      { name: 'a', file: join(dir.dir, 'specs', 'a.mjs'), cwd: join(dir.dir, 'specs', 'work'), restart: 'temporary', significant: true },
      { name: 'b', command: 'sleep', cwd: '/abs' },
    ],
  });
});
