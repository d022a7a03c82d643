import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionClient } from '../../src/control/client.js';
import { Harness } from '../cli/harness.js';

let h: Harness;
let client: SessionClient;
beforeEach(() => {
  h = new Harness();
  client = new SessionClient({ home: h.home, autoStart: true });
});
afterEach(async () => {
  client.close();
  await h.teardown();
});

describe('smoke', { timeout: 60_000 }, () => {
  it('runs echo', async () => {
    const session = await client.create({ id: 'ex' });
    h.noteDaemon();
    h.noteSession(session);
    const r = await client.exec('ex', ['sh', '-c', 'echo hi; echo err >&2; cat; exit 3'], { input: 'in' });
    expect(r).toEqual({ code: 3, signal: null, timedOut: false, stdout: 'hi\nin', stderr: 'err\n' });
  });
});
