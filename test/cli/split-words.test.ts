import { expect, it } from 'vitest';
import { splitWords } from '../../src/cli/split-words.js';

it.each([
  ['sleep 60', ['sleep', '60']],
  ['  a\t b\n c  ', ['a', 'b', 'c']],
  [`echo 'a b' "c d"`, ['echo', 'a b', 'c d']],
  [`echo 'it''s'`, ['echo', 'its']],
  [`echo "a \\"q\\" \\$HOME \\n"`, ['echo', 'a "q" $HOME \\n']],
  [`echo a\\ b \\'x\\'`, ['echo', 'a b', "'x'"]],
  [`printf '%s\\n' $HOME`, ['printf', '%s\\n', '$HOME']],
  [`a"b"'c'd`, ['abcd']],
  [`x "" ''`, ['x', '', '']],
  ['', []],
])('splits %j', (line, words) => {
  expect(splitWords(line)).toEqual(words);
});

it.each([`echo "open`, `echo 'open`])('refuses an unterminated quote in %j', (line) => {
  expect(() => splitWords(line)).toThrow(/unterminated/);
});
