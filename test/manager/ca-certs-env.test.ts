// A supervisor starts without NODE_EXTRA_CA_CERTS (Node parses the bundle it names at every start,
// before any JavaScript); the session's children, its Placeholder among them, and its execs still
// get it (src/process/ca-certs-env.ts).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { environ } from '../helpers/proc.js';
import { Harness, readySpare } from './harness.js';

const caCerts = (pid: number) => environ(pid).find((entry) => entry.startsWith('NODE_EXTRA_CA_CERTS='));

const NAMES = ['NODE_EXTRA_CA_CERTS', 'SESSIOND_NODE_EXTRA_CA_CERTS'] as const;
let h: Harness | undefined;
let before: Array<string | undefined> = [];
beforeEach(() => {
  before = NAMES.map((name) => process.env[name]);
});
afterEach(async () => {
  NAMES.forEach((name, i) => {
    if (before[i] === undefined) delete process.env[name];
    else process.env[name] = before[i];
  });
  await h?.close();
  h = undefined;
});

// Set before the manager starts its first spare. The path is carried, never read: a Node process
// that has it (the Placeholder) only warns in its log that it cannot load it.
const BUNDLE = '/nonexistent/sessiond-test/extra-ca.pem';
function withVariables(values: { NODE_EXTRA_CA_CERTS?: true; SESSIOND_NODE_EXTRA_CA_CERTS?: true }): Harness {
  for (const name of NAMES) {
    if (values[name]) process.env[name] = BUNDLE;
    else delete process.env[name];
  }
  return new Harness();
}

it("starts a supervisor without NODE_EXTRA_CA_CERTS, and gives it to the session's children (the Placeholder too) and execs", async () => {
  h = withVariables({ NODE_EXTRA_CA_CERTS: true });
  const spare = await readySpare(h);
  expect(caCerts(spare.supervisorPid)).toBeUndefined();
  expect(caCerts(spare.placeholderPid)).toBe(`NODE_EXTRA_CA_CERTS=${BUNDLE}`);

  const id = await h.create({ children: [{ name: 'worker', command: 'sleep', args: ['60'] }] });
  const info = await h.manager.getSessionInfo(id);
  expect(info.supervisorPid).toBe(spare.supervisorPid);
  const worker = info.children[0]!.pid!;
  expect(caCerts(worker)).toBe(`NODE_EXTRA_CA_CERTS=${BUNDLE}`);
  expect(environ(worker).some((entry) => entry.startsWith('SESSIOND_NODE_EXTRA_CA_CERTS='))).toBe(false);
  expect(await h.manager.exec(id, ['sh', '-c', 'echo "$NODE_EXTRA_CA_CERTS|${SESSIOND_NODE_EXTRA_CA_CERTS-unset}"'])).toMatchObject({ code: 0, stdout: `${BUNDLE}|unset\n` });
});

it("carries nothing without NODE_EXTRA_CA_CERTS: not even a stray value of the carrier's name", async () => {
  h = withVariables({ SESSIOND_NODE_EXTRA_CA_CERTS: true });
  const plain = await readySpare(h);
  expect(environ(plain.supervisorPid).some((entry) => entry.includes('NODE_EXTRA_CA_CERTS'))).toBe(false);
  const bare = await h.create({});
  expect(await h.manager.exec(bare, ['sh', '-c', 'echo "${NODE_EXTRA_CA_CERTS-unset}"'])).toMatchObject({ stdout: 'unset\n' });
});
