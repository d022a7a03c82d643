import { expect, it } from 'vitest';
import { LineSplitter, LineTooLong } from '../../src/control/framing.js';

it('splits lines across chunks, multibyte characters included', () => {
  const s = new LineSplitter(100);
  const euro = Buffer.from('€');
  expect(s.push(Buffer.from('{"a":1}\n{"b":'))).toEqual(['{"a":1}']);
  expect(s.push(euro.subarray(0, 1))).toEqual([]);
  expect(s.push(Buffer.concat([euro.subarray(1), Buffer.from('}\n\n')]))).toEqual(['{"b":€}', '']);
});

it('refuses a line past the limit, whether or not its newline has come', () => {
  expect(() => new LineSplitter(4).push(Buffer.from('12345'))).toThrow(LineTooLong);
  expect(() => new LineSplitter(4).push(Buffer.from('12345\n'))).toThrow(LineTooLong);
  const s = new LineSplitter(4);
  s.push(Buffer.from('12'));
  expect(() => s.push(Buffer.from('345'))).toThrow(LineTooLong);
  expect(new LineSplitter(4).push(Buffer.from('1234\n'))).toEqual(['1234']);
});
