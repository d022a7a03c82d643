import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionClient } from '../../src/control/client.js';
import { fixture } from '../manager/harness.js';
import { Harness } from './harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(() => h.teardown());

const SECRET = 'sekrit-value-9f2c';

describe('info shows how each child is run (describe)', { timeout: 30_000 }, () => {
  it('command or file with args, cwd, env keys but never values, restart, shutdownMs, delay, log files', async () => {
    const spec = join(h.home, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({
        children: [
          {
            name: 'agent',
            file: fixture('agent.mjs'),
            args: ['--mode', 'two words'],
            env: { API_TOKEN: SECRET, PORT: '8080' },
            restart: 'transient',
            significant: true,
            shutdownMs: 2000,
            restartDelayMs: 100,
            backoff: 'exponential',
          },
          { name: 'sleeper', command: 'sleep', args: ['1000'], cwd: '/tmp' },
        ],
        autoShutdown: 'any_significant',
      }),
    );
    const session = await h.create(['--spec', spec]);
    const logs = join(h.home, 'logs', 'sessions', session.id);
    const info = await h.cli(['info', session.id]);
    expect(info.exitCode).toBe(0);
    const text = info.stdout;
    expect(text).toContain('intensity:    at most 3 restarts in 5 s\nautoShutdown: any_significant\nchildren:\n');
    expect(text).toContain(`child agent:\n  file:         ${fixture('agent.mjs')} --mode 'two words'\n  cwd:          ${process.cwd()}\n`); // the client's
    expect(text).toContain('  env keys:     API_TOKEN, PORT\n  restart:      transient, significant\n  shutdownMs:   2000\n');
    expect(text).toContain('  delay:        100 ms before a restart, doubling on each crash in a row up to 30000 ms\n');
    expect(text).toContain(`  log:          ${join(logs, 'agent.log')}\n`);
    expect(text).toContain(`child sleeper:\n  command:      sleep 1000\n  cwd:          /tmp\n  env keys:     -\n  restart:      permanent\n  shutdownMs:   5000\n`);
    expect(text).toContain(`  log:          ${join(logs, 'sleeper.log')}`);
    expect(text).not.toContain(SECRET);

    // The session JSON keeps its shape; the socket's `describe` has the rest, env keys only.
    const json = await h.cli(['info', session.id, '--json']);
    expect(Object.keys(JSON.parse(json.stdout).children[0]).sort()).toEqual(['cwd', 'lastExit', 'name', 'nextRestartAt', 'pid', 'restarts', 'significant', 'status']);
    expect(json.stdout).not.toContain(SECRET);
    const client = new SessionClient({ home: h.home });
    try {
      const described = await client.describe(session.id.slice(0, 12));
      expect(described.children[0]).toMatchObject({ name: 'agent', envKeys: ['API_TOKEN', 'PORT'], restart: 'transient', shutdownMs: 2000, logs: [join(logs, 'agent.log')] });
      expect(JSON.stringify(described)).not.toContain(SECRET);
      await expect(client.describe('nobody-here')).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      client.close();
    }
  });
});
