import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChildLog } from '../../src/logs/child-log.js';
import { decodeRecords, encodeRecord, joinLines, plainText } from '../../src/logs/log-records.js';
import { tempHome, waitFor } from '../helpers/proc.js';

const AT = '2026-01-02T03:04:05.678Z';

describe('log records', () => {
  it('encode and decode: time, stream, text, and whether the line ends', () => {
    const text = encodeRecord(AT, 'out', 'hello', true) + encodeRecord(AT, 'err', 'Enter: ', false);
    expect(text).toBe(`${AT} out hello\n${AT} err+ Enter: \n`);
    expect(decodeRecords(text)).toEqual([
      { at: AT, stream: 'out', text: 'hello', end: true },
      { at: AT, stream: 'err', text: 'Enter: ', end: false },
    ]);
  });

  it('reads a log of an older sessiond (no records) as unstamped stdout lines', () => {
    expect(decodeRecords('plain\nlast')).toEqual([
      { at: null, stream: 'out', text: 'plain', end: true },
      { at: null, stream: 'out', text: 'last', end: false },
    ]);
  });

  it('joins the pieces of a line per stream, in the order the lines began; plainText is what was printed', () => {
    const entries = decodeRecords(
      [encodeRecord(AT, 'out', 'par', false), encodeRecord(AT, 'err', 'oops', true), encodeRecord('2026-01-02T03:04:06.000Z', 'out', 'tial', true)].join(''),
    );
    expect(joinLines(entries)).toEqual([
      { at: AT, stream: 'out', text: 'partial', end: true },
      { at: AT, stream: 'err', text: 'oops', end: true },
    ]);
    expect(plainText(entries)).toBe('paroops\ntial\n');
  });
});

describe('ChildLog records', () => {
  let home: ReturnType<typeof tempHome>;
  beforeEach(() => {
    home = tempHome();
  });
  afterEach(() => home.cleanup());

  it('stamps each line as it captures it, tells the streams apart, and never splits a character', async () => {
    const path = join(home.dir, 'c.log');
    const log = new ChildLog(path);
    const [out, err] = [new PassThrough(), new PassThrough()];
    log.attach(out, 'out');
    log.attach(err, 'err');
    const before = new Date().toISOString();
    const euro = Buffer.from('€\n');
    out.write(Buffer.concat([Buffer.from('one\nprice: '), euro.subarray(0, 1)]));
    out.write(euro.subarray(1));
    err.write('warn\n');
    await waitFor(() => readFileSync(path, 'utf8').includes('warn'), 'the stderr line');
    log.close();
    const entries = decodeRecords(readFileSync(path, 'utf8'));
    expect(joinLines(entries).map(({ stream, text }) => `${stream} ${text}`)).toEqual(['out one', 'out price: €', 'err warn']);
    for (const { at } of entries) expect(at! >= before && at! <= new Date().toISOString()).toBe(true);
    expect(log.tail()).toEqual(['one', 'price: €', 'warn']);
  });
});
