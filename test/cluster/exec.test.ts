import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/contract/session.js';
import { ClusterClient } from '../../src/cluster/cluster-client.js';
import { SessionClient } from '../../src/control/client.js';
import { expectAllGone } from '../helpers/proc.js';
import { SESSIONCTL } from '../cli/harness.js';
import { resizedAndClosed } from '../exec/harness.js';
import { Cluster, waitFor } from './harness.js';

// A caller on one host, the session on another node: exec and attach stream over NATS with the local results.
describe('exec and attach across the cluster', () => {
  let cluster: Cluster;
  let session: SessionInfo;
  beforeAll(async () => {
    cluster = await Cluster.start(['alpha', 'beta']);
    session = await cluster.create(['--node', 'beta']);
  }, 90_000);
  afterAll(() => cluster?.teardown(), 60_000);

  it('runs on the session node with its stdout, stderr, stdin and exit codes', async () => {
    const run = (args: string[]) => cluster.cli(['exec', session.id, ...args]);
    const ok = await run(['--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect({ code: ok.exitCode, out: ok.stdout, err: ok.stderr }).toEqual({ code: 3, out: 'out', err: 'err' });
    expect((await run(['--', 'no-such-command-here'])).exitCode).toBe(127);
    expect((await run(['--timeout-ms', '300', '--', 'sleep', '30'])).exitCode).toBe(124);
    expect((await run(['--', 'sh', '-c', 'kill -TERM $$'])).exitCode).toBe(143);
    const client = new SessionClient({ cluster: cluster.nats.url });
    try {
      const result = await client.exec(session.id.slice(0, 12), ['cat'], { input: 'through nats' });
      expect(result).toMatchObject({ code: 0, stdout: 'through nats' });
    } finally {
      client.close();
    }
  }, 60_000);

  // The handler is the caller's code: a bug there is the caller's error to see, and costs only that stream.
  it("ends a stream whose handler throws with the handler's own error; the client goes on", async () => {
    const client = new SessionClient({ cluster: cluster.nats.url });
    try {
      const mistake = new Error('a bug in the caller');
      const throwing = () => {
        throw mistake;
      };
      await expect(client.events({ session: session.id, follow: true }, throwing)).rejects.toBe(mistake);
      expect((await client.getSessionInfo(session.id)).node).toBe('beta');
      // One connection to the cluster carries every call: the others go on.
      const channel = await ClusterClient.open({ url: cluster.nats.url });
      try {
        await expect(channel.request('events', { session: session.id, follow: true, since: 0 }, throwing)).rejects.toBe(mistake);
        expect(await channel.request('info', { id: session.id })).toMatchObject({ id: session.id, node: 'beta' });
      } finally {
        channel.close();
      }
    } finally {
      client.close();
    }
  }, 60_000);

  it('delivers 20 MiB whole', async () => {
    const client = new SessionClient({ cluster: cluster.nats.url });
    try {
      const proc = await client.spawn(session.id, ['head', '-c', String(20 * 1024 * 1024), '/dev/zero']);
      proc.stdin.end();
      let bytes = 0;
      proc.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
      expect((await proc.wait()).code).toBe(0);
      expect(bytes).toBe(20 * 1024 * 1024);
    } finally {
      client.close();
    }
  }, 60_000);

  it('slows a command whose caller does not read: the node holds no more than its window', async () => {
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${cluster.node('beta').pid}/status`, 'utf8'))![1]) * 1024;
    const client = new SessionClient({ cluster: cluster.nats.url });
    try {
      const before = rss();
      const proc = await client.spawn(session.id, ['head', '-c', String(64 * 1024 * 1024), '/dev/zero']);
      proc.stdin.end();
      proc.stdout.pause();
      // The one fixed wait: unread, 64 MiB would be written in well under this; held back, head still runs.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(existsSync(`/proc/${proc.pid}`)).toBe(true);
      expect(rss() - before).toBeLessThan(32 * 1024 * 1024);
      let bytes = 0;
      proc.stdout.on('data', (c: Buffer) => (bytes += c.length));
      proc.stdout.resume();
      expect(await proc.wait()).toMatchObject({ code: 0 });
      expect(bytes).toBe(64 * 1024 * 1024);
    } finally {
      client.close();
    }
  }, 60_000);

  it('stops the exec on the node when its caller is SIGKILLed', async () => {
    const caller = spawn(process.execPath, [SESSIONCTL, '--cluster', cluster.nats.url, 'exec', session.id, '--', 'sh', '-c', 'echo $$; exec sleep 300'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    caller.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(() => /^\d+\n/.test(out), 'the exec to start', 20_000, 50);
    const pid = Number(out.trim());
    expect(existsSync(`/proc/${pid}`)).toBe(true);
    caller.kill('SIGKILL');
    await waitFor(() => !existsSync(`/proc/${pid}`), 'the exec to be gone from the node', 15_000, 100);
  }, 60_000);

  it('sessionctl --cluster exec --tty under script: CMD on the node sees a terminal of the caller’s size, and its code comes back', async () => {
    const exec = `${process.execPath} ${SESSIONCTL} --cluster ${cluster.nats.url} exec ${session.id} --tty -- sh -c 'stty size; test -t 0 && echo on-a-tty; exit 7'`;
    const result = await execa('script', ['-qec', `stty rows 30 cols 100; ${exec}; echo "code=$?"`, '/dev/null'], { reject: false, stdin: 'ignore', timeout: 60_000 });
    expect(result.stdout).toMatch(/30 100[\s\S]*on-a-tty[\s\S]*code=7/);
  }, 60_000);

  it('runs on a terminal of the caller’s size, resized with it; closing it ends the process there', async () => {
    const client = new SessionClient({ cluster: cluster.nats.url });
    try {
      const pid = await resizedAndClosed((argv, options) => client.spawn(session.id, argv, options));
      await expectAllGone([pid], 10_000);
    } finally {
      client.close();
    }
  }, 60_000);

  it('attaches to a child over the cluster: a round trip; a second attacher meanwhile is busy (exit 1)', async () => {
    const added = await cluster.cli(['child', 'add', session.id, '--command', 'echo=cat', '--stdin']);
    expect(added.stderr).toBe('');
    const client = new SessionClient({ cluster: cluster.nats.url });
    try {
      const stream = await client.attach(session.id, 'echo');
      const echoed = new Promise<string>((resolve) => stream.once('data', (chunk: Buffer) => resolve(chunk.toString())));
      stream.write('ping\n');
      expect(await echoed).toBe('ping\n');
      const second = await cluster.cli(['attach', session.id, '--child', 'echo']);
      expect({ code: second.exitCode, err: second.stderr }).toMatchObject({ code: 1, err: expect.stringContaining('already has an attacher') });
      stream.end();
    } finally {
      client.close();
    }
  }, 60_000);
});
