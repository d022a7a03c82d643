import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDaemon } from '../../src/control/autostart.js';
import { SessionClient } from '../../src/control/client.js';
import { statePaths } from '../../src/contract/paths.js';
import { Harness } from '../cli/harness.js';
import { waitFor } from '../helpers/proc.js';

let h: Harness;
let client: SessionClient;
beforeEach(async () => {
  h = new Harness();
  await ensureDaemon(statePaths(h.home));
  client = new SessionClient({ home: h.home });
});
afterEach(async () => {
  client.close();
  await h.teardown();
});

/** A raw connection to the control socket that collects reply lines. */
function raw(): { socket: Socket; replies: () => Record<string, unknown>[]; closed: () => boolean } {
  const socket = connect(statePaths(h.home).socket);
  let buffer = '';
  let closed = false;
  socket.on('data', (chunk) => (buffer += chunk.toString()));
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  return {
    socket,
    replies: () => buffer.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
    closed: () => closed,
  };
}

async function ask(lines: string[]): Promise<Record<string, unknown>[]> {
  const c = raw();
  c.socket.write(lines.map((l) => `${l}\n`).join(''));
  return waitFor(() => (c.replies().length >= lines.length ? c.replies() : null), 'replies').finally(() => c.socket.destroy());
}

describe('the control socket', () => {
  it('answers every bad request with its error code and keeps serving', async () => {
    const replies = await ask([
      '{not json',
      '[1,2,3]',
      '{"id":1,"method":"nope","params":{}}',
      '{"id":2,"method":"info","params":{"id":"../x"}}',
      '{"id":3,"method":"info","params":{"id":"abc","extra":1}}',
      '{"id":4,"method":"create","params":{"llmConfig":"not an object"}}',
      '{"id":5,"method":"create","params":{"children":[{"name":"a","file":"relative.js"}]}}',
      '{"id":6,"method":"info","params":{"id":"missing"}}',
      '{"id":7,"method":"kill","params":{"id":"x","signal":"SIGNOPE"}}',
      '{"id":8,"method":"status"}',
      '{"id":9,"method":"logs","params":{"id":"x","offset":3}}',
    ]);
    const byId = new Map(replies.map((r) => [r.id, r]));
    const codeOf = (id: unknown) => (byId.get(id)?.error as { code: string } | undefined)?.code;
    expect(replies.filter((r) => r.id === null).map((r) => (r.error as { code: string }).code).sort()).toEqual(['invalid_request', 'parse_error']);
    expect(codeOf(1)).toBe('invalid_request');
    expect((byId.get(1)!.error as { message: string }).message).toMatch(/unknown method "nope"/);
    expect(codeOf(2)).toBe('invalid_params');
    expect(codeOf(3)).toBe('invalid_params');
    expect(codeOf(4)).toBe('invalid_params');
    expect(codeOf(5)).toBe('invalid_params');
    expect(codeOf(6)).toBe('not_found');
    expect(codeOf(7)).toBe('invalid_params');
    expect(byId.get(8)!.result).toMatchObject({ running: true });
    expect(byId.get(9)!.error).toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/"offset" resumes a follow/) });
  });

  it('a 2 MiB line gets an error and its connection closed; others are served meanwhile', async () => {
    const big = raw();
    big.socket.write(`{"id":1,"method":"status","params":{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}}\n`);
    await waitFor(() => big.closed(), 'the oversized connection to close');
    expect(big.replies()).toEqual([{ id: null, error: { code: 'invalid_request', message: expect.stringMatching(/exceeds 1048576 bytes/) } }]);
    expect((await client.status()).running).toBe(true);
  });

  it('a client that ends its side after its requests (nc -N) still gets every reply', async () => {
    const c = raw();
    c.socket.end('{"id":1,"method":"status"}\n{"id":2,"method":"list"}\n');
    await waitFor(() => c.closed(), 'the daemon to end the connection once it has replied');
    expect(c.replies().sort((a, b) => Number(a.id) - Number(b.id))).toEqual([expect.objectContaining({ id: 1, result: expect.objectContaining({ running: true }) }), { id: 2, result: [] }]);
  });

  it('a client that sends half a line, or vanishes mid-request, blocks nobody', async () => {
    const slow = raw();
    slow.socket.write('{"id":1,"method":"sta');
    const vanishing = raw();
    // Gone once its request is out, long before the reply (the session start) can come.
    await new Promise<void>((resolve) => vanishing.socket.write('{"id":1,"method":"create","params":{}}\n', () => resolve()));
    vanishing.socket.destroy();
    const id = await client.createSession({ metadata: { who: 'client' } });
    expect((await client.getSessionInfo(id)).status).toBe('active');
    // The vanished client's session was still created; its reply just went nowhere.
    await waitFor(async () => (await client.listSessions()).length === 2, 'both sessions');
    slow.socket.write('tus"}\n');
    await waitFor(() => slow.replies().length === 1, 'the slow client reply');
    expect(slow.replies()[0]).toMatchObject({ id: 1, result: { running: true } });
    slow.socket.destroy();
    for (const s of await client.listSessions()) h.noteSession(s);
  });
});

describe('SessionClient', () => {
  it('mirrors SessionManager over the socket', async () => {
    const id = await client.createSession({ id: 'via-client', llmConfig: { api_key: 'k' }, children: [{ name: 'llm_agent', command: 'sleep', args: ['60'] }] });
    expect(id).toBe('via-client');
    const info = await client.getSessionInfo(id);
    h.noteSession(info);
    expect(info).toMatchObject({ status: 'active', llmConfig: { api_key: '***' } });
    expect(await client.getSessionPid(id)).toBe(info.supervisorPid);
    expect(await client.findSupervisor(id)).toBe(info.supervisorPid);
    expect(await client.getLlmAgentPid(id)).toBe(info.children[0]!.pid);
    expect(await client.getSessionPid('nobody')).toBe('not_found');
    expect(client.registryKey(id)).toBe('session_supervisor:via-client');
    expect(() => client.registryKey('../x')).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    await expect(client.getSessionInfo('nobody')).rejects.toMatchObject({ code: 'not_found' });
    await expect(client.createSession({ id: 'via-client' })).rejects.toMatchObject({ code: 'already_exists' });
    expect(await client.kill(id, { child: 'llm_agent' })).toBe(info.children[0]!.pid);
    await client.terminateSession(id);
    expect(await client.listSessions()).toEqual([]);
    expect((await client.listSessions({ all: true }))[0]).toMatchObject({ id, status: 'terminated' });
    const status = await client.status();
    expect(status).toMatchObject({ running: true, sessions: { terminated: 1, total: 1 } });
    expect(await client.stop()).toBe(status.pid);
    await waitFor(async () => !(await client.status()).running, 'the daemon to stop');
  });
});
