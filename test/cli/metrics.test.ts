import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DaemonStatus } from '../../src/control/protocol.js';
import { Harness, waitFor } from './harness.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(async () => {
  await h.teardown();
});

function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('sessiond --metrics', { timeout: 60_000 }, () => {
  it('serves Prometheus text at /metrics: counts from events, gauges per status and per session', async () => {
    const start = await h.cli(['daemon', 'start', '--metrics', '127.0.0.1:0', '--json']);
    expect(start.exitCode, start.stderr).toBe(0);
    const url = (JSON.parse(start.stdout) as DaemonStatus).metrics!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    const a = await h.create();
    await h.create(['--id', 'second']);
    await h.cli(['kill', a.id, '--child', 'placeholder']);
    await h.waitRestarted(a.id);
    await h.cli(['terminate', 'second']);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE sessiond_sessions gauge');
    expect(sample(text, 'sessiond_sessions{status="active"}')).toBe(1);
    expect(sample(text, 'sessiond_sessions{status="initializing"}')).toBe(0);
    expect(sample(text, 'sessiond_sessions_created_total')).toBe(2);
    expect(sample(text, 'sessiond_sessions_terminated_total{result="ok"}')).toBe(1);
    expect(sample(text, 'sessiond_child_restarts_total')).toBe(1);
    expect(sample(text, 'sessiond_crashes_total{process="child"}')).toBe(1);
    expect(sample(text, 'sessiond_create_duration_seconds_count')).toBe(2);
    expect(sample(text, `sessiond_session_memory_bytes{session="${a.id}"}`)).toBeGreaterThan(0);
    expect(sample(text, `sessiond_session_cpu_percent{session="${a.id}"}`)).toBeGreaterThanOrEqual(0);
    expect(text).not.toContain('session="second"'); // terminated: no longer a series
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404);

    // Recorded: the daemon the next command starts serves metrics too.
    await h.cli(['daemon', 'stop']);
    await h.create();
    const status = await h.json<DaemonStatus>(['daemon', 'status']);
    expect(status.metrics).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect((await fetch(status.metrics!)).status).toBe(200);
  });

  it('an address in use fails the start with a message naming it; nothing is left running', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const start = await h.cli(['daemon', 'start', '--metrics', `127.0.0.1:${port}`]);
      expect(start.exitCode).toBe(1);
      expect(start.stderr).toContain(`cannot serve metrics on 127.0.0.1:${port}: the address is in use`);
      expect(start.stderr).toMatch(/the settings given were not recorded/);
      expect(existsSync(join(h.home, 'sessiond.json'))).toBe(false); // the next start is not doomed too
      await waitFor(() => h.daemonPid() === null, 'no daemon');
      expect((await h.cli(['daemon', 'status'])).exitCode).toBe(4);
    } finally {
      taken.close();
    }
  });

  it('off by default; an address other machines can reach needs --metrics-public', async () => {
    await h.cli(['daemon', 'start']);
    expect((await h.json<DaemonStatus>(['daemon', 'status'])).metrics).toBeNull();
    await h.cli(['daemon', 'stop']);
    const open = await h.cli(['daemon', 'start', '--metrics', '0.0.0.0:0']);
    expect(open.exitCode).toBe(2);
    expect(open.stderr).toMatch(/--metrics 0\.0\.0\.0:0 can be reached from other machines: add --metrics-public/);
    expect(h.daemonPid()).toBeNull();
    const bad = await h.cli(['daemon', 'start', '--metrics', 'nowhere']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--metrics "nowhere": not an address/);
  });
});
