import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unitDir, unitFile, unitName } from '../../src/cli/systemd-unit.js';

const program = { node: '/opt/node 20/bin/node', sessiond: '/opt/sd/dist/daemon/sessiond.js', version: '1.2.3' };

describe('the systemd unit', () => {
  it('is sessiond.service for the default state dir, sessiond-<hash>.service for any other', () => {
    expect(unitName(join(homedir(), '.local', 'state', 'sessiond'), {})).toBe('sessiond.service');
    expect(unitName('/xdg/state/sessiond', { XDG_STATE_HOME: '/xdg/state', SESSIOND_HOME: '/elsewhere' })).toBe('sessiond.service');
    const other = unitName('/srv/a', {});
    expect(other).toMatch(/^sessiond-[0-9a-f]{8}\.service$/);
    expect(unitName('/srv/b', {})).not.toBe(other);
  });

  it('goes to the user unit dir, the system one, or $SESSIOND_UNIT_DIR', () => {
    expect(unitDir(false, { XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/systemd/user');
    expect(unitDir(false, {})).toBe(join(homedir(), '.config', 'systemd', 'user'));
    expect(unitDir(true, {})).toBe('/etc/systemd/system');
    expect(unitDir(true, { SESSIOND_UNIT_DIR: '/tmp/units' })).toBe('/tmp/units');
  });

  it('quotes paths, and makes % and $ literal as systemd reads them', () => {
    const { text } = unitFile({ system: false, home: '/srv/100%/$HOME "x"' }, program, { PATH: '/a b:/c%d' });
    expect(text).toContain('ExecStart="/opt/node 20/bin/node" "/opt/sd/dist/daemon/sessiond.js" "--home" "/srv/100%%/$$HOME \\"x\\"" "--systemd"');
    expect(text).toContain('Environment="PATH=/a b:/c%%d"');
  });
});
