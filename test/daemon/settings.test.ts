import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMetricsAddress } from '../../src/daemon/metrics-address.js';
import { parseSettings, readSettings, recordSettings, settingsOptions } from '../../src/daemon/settings.js';
import { tempHome } from '../helpers/proc.js';

const { dir, cleanup } = tempHome('sessiond-settings-');
afterAll(cleanup);

describe('daemon settings', () => {
  it('parses flags (strings) and file values (JSON) alike, naming the bad one as given', () => {
    expect(parseSettings({ 'keep-days': '2', 'warm-supervisors': '0', 'metrics-public': true })).toEqual({ 'keep-days': 2, 'warm-supervisors': 0, 'metrics-public': true });
    expect(parseSettings({ 'keep-days': 2 }, '/x/sessiond.json')).toEqual({ 'keep-days': 2 });
    expect(() => parseSettings({ 'keep-days': 'x' })).toThrow('--keep-days takes a positive number, not "x"');
    expect(() => parseSettings({ 'warm-supervisors': 1.5 }, '/x/sessiond.json')).toThrow('/x/sessiond.json: "warm-supervisors" takes a whole number');
    expect(() => parseSettings({ tepid: 1 }, '/x/sessiond.json')).toThrow(/"tepid" is not a setting of sessiond; the settings are idle-timeout-ms, /);
    expect(parseSettings({ warm: '2' })).toEqual({ warm: 2 });
  });

  it('records settings over the file, 0600, and reads them back', () => {
    recordSettings(dir, { 'keep-days': 3 });
    recordSettings(dir, { 'warm-supervisors': 1 });
    expect(readSettings(dir)).toEqual({ 'keep-days': 3, 'warm-supervisors': 1 });
    expect(statSync(join(dir, 'sessiond.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'sessiond.json'), 'utf8'))).toEqual({ 'keep-days': 3, 'warm-supervisors': 1 });
    writeFileSync(join(dir, 'sessiond.json'), '{nope');
    expect(() => readSettings(dir)).toThrow(/sessiond\.json is not valid JSON .*: fix or remove it/);
  });

  it('turns settings into daemon options; a metrics address others can reach needs metrics-public', () => {
    expect(settingsOptions({ 'keep-days': 2, 'keep-terminated': 10, metrics: '9464' })).toMatchObject({
      retention: { maxAgeMs: 2 * 86_400_000, maxTerminated: 10 },
      metrics: { host: '127.0.0.1', port: 9464, loopback: true },
    });
    expect(() => settingsOptions({ metrics: '0.0.0.0:9464' })).toThrow(/can be reached from other machines: add --metrics-public/);
    expect(settingsOptions({ metrics: '0.0.0.0:9464', 'metrics-public': true }).metrics).toMatchObject({ host: '0.0.0.0', loopback: false });
  });

  it.each([
    ['127.0.0.1:9464', { host: '127.0.0.1', port: 9464, loopback: true }],
    ['localhost:1', { host: 'localhost', port: 1, loopback: true }],
    ['[::1]:9464', { host: '::1', port: 9464, loopback: true }],
    [':0', { host: '127.0.0.1', port: 0, loopback: true }],
    ['10.1.2.3:80', { host: '10.1.2.3', port: 80, loopback: false }],
  ])('metrics address %s', (text, expected) => {
    expect(parseMetricsAddress(text)).toEqual(expected);
  });

  it.each(['', 'host', '127.0.0.1:70000', '[nope]:1', '1.2.3.4:x'])('refuses metrics address %j', (text) => {
    expect(() => parseMetricsAddress(text)).toThrow(/give HOST:PORT/);
  });
});
