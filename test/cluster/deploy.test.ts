import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { SessionInfo } from '../../src/contract/session.js';
import { Harness } from '../cli/harness.js';
import { NodeDaemon, teardownAll } from './harness.js';
import { NatsServer } from './nats-server.js';

const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy');
const AGENT = join(import.meta.dirname, '..', 'fixtures', 'agent.mjs');

interface Container {
  name: string;
  args: string[];
  env: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  securityContext?: { privileged?: boolean };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}

describe('deploy/kubernetes: one sessiond per host as a DaemonSet', () => {
  const manifest = parse(readFileSync(join(DEPLOY, 'kubernetes', 'sessiond-daemonset.yaml'), 'utf8')) as {
    apiVersion: string;
    kind: string;
    spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[]; volumes: { name: string; secret?: { secretName: string }; hostPath?: { path: string } }[] } } };
  };
  const pod = manifest.spec.template.spec;
  const container = pod.containers[0]!;
  const flag = (name: string) => container.args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

  it('is a DaemonSet whose selector matches its pods', () => {
    expect([manifest.apiVersion, manifest.kind]).toEqual(['apps/v1', 'DaemonSet']);
    expect(manifest.spec.template.metadata.labels).toMatchObject(manifest.spec.selector.matchLabels);
  });

  it('runs sessiond as a node named after its Kubernetes node, with credentials from a Secret', () => {
    expect(flag('cluster')).toMatch(/^(nats|tls):\/\//);
    expect(flag('node')).toBe('$(NODE_NAME)');
    expect(container.env.find((e) => e.name === 'NODE_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('spec.nodeName');
    const creds = flag('cluster-creds')!;
    const mount = container.volumeMounts.find((m) => creds.startsWith(`${m.mountPath}/`))!;
    expect(mount.readOnly).toBe(true);
    expect(pod.volumes.find((v) => v.name === mount.name)?.secret?.secretName).toBeTruthy();
    // The state dir outlives the pod (sessions come back), and sessiond divides the host's cgroups.
    const home = flag('home')!;
    expect(pod.volumes.find((v) => v.name === container.volumeMounts.find((m) => m.mountPath === home)?.name)?.hostPath).toBeTruthy();
    expect(container.volumeMounts.some((m) => m.mountPath === '/sys/fs/cgroup')).toBe(true);
    expect(container.securityContext?.privileged).toBe(true);
  });
});

describe('deploy/nats: the accounts let sessiond and sessionctl do their work, and nothing else', () => {
  const passwords = { SESSIOND_NODE_PASSWORD: 'node-pw-1', SESSIONCTL_PASSWORD: 'ctl-pw-2' };
  let nats: NatsServer;
  let node: NodeDaemon;
  const client = new Harness();
  let ctl: string;
  beforeAll(async () => {
    // The example config as shipped, but for its TLS (no certificates here) and its fixed port.
    nats = await NatsServer.start((port, dir) => {
      copyFileSync(join(DEPLOY, 'nats', 'sessiond-accounts.conf'), join(dir, 'sessiond-accounts.conf'));
      writeFileSync(join(dir, 'test.conf'), `listen: 127.0.0.1:${port}\njetstream {}\ninclude sessiond-accounts.conf\n`);
      return ['-c', join(dir, 'test.conf')];
    }, { ...process.env, ...passwords });
    node = new NodeDaemon('edge', `nats://sessiond:${passwords.SESSIOND_NODE_PASSWORD}@127.0.0.1:${nats.port}`);
    await node.start();
    ctl = `nats://sessionctl:${passwords.SESSIONCTL_PASSWORD}@127.0.0.1:${nats.port}`;
  }, 60_000);
  afterAll(() => teardownAll([node], client, nats), 60_000);

  it('serves every command of a client through the sessionctl user without a permission violation', async () => {
    const run = (args: string[]) => client.cli(['--cluster', ctl, ...args]);
    const created = await run(['create', '--id', 'deployed', '--child', `agent=${AGENT}`, '--json']);
    expect(created.stderr).toBe('');
    node.local.noteSession(JSON.parse(created.stdout) as SessionInfo);
    // A send that takes 5 s: the client asks the node meanwhile whether it holds the request (held-check.ts).
    const slow = ['send', 'deployed', '{"op":"slow","ms":5000}', '--child', 'agent'];
    for (const args of [['list'], ['info', 'depl'], ['nodes'], ['events', '--session', 'deployed'], ['logs', 'deployed'], ['exec', 'deployed', '--', 'true'], slow]) {
      const result = await run(args);
      expect({ args, code: result.exitCode, stderr: result.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    expect((await run(['terminate', 'deployed'])).exitCode).toBe(0);
    expect(nats.log()).not.toMatch(/Permissions Violation/i);
  }, 60_000);

  it('does not let a client act as a node', async () => {
    const impostor = new NodeDaemon('fake', ctl);
    try {
      // A daemon given a client's credentials cannot announce itself: it refuses to start, saying why.
      await expect(impostor.start()).rejects.toThrow(/Permissions Violation for Publish to "\$KV\.sessiond_nodes\.fake"/);
      const nodes = await client.cli(['--cluster', ctl, 'nodes', '--json']);
      expect((JSON.parse(nodes.stdout) as { name: string }[]).map((n) => n.name)).toEqual(['edge']);
    } finally {
      await impostor.teardown();
    }
  }, 60_000);
});
