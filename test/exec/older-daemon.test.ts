import { afterEach, describe, expect, it } from 'vitest';
import { execIn, localChannels } from '../../src/exec/client-exec.js';
import { encodeFrame, FRAME, STREAM } from '../../src/exec/frames.js';
import { socketStandIn } from '../helpers/socket-stand-in.js';

let standIn: Awaited<ReturnType<typeof socketStandIn>> | null = null;
afterEach(async () => {
  await standIn?.close();
  standIn = null;
});

/**
 * A daemon of the version before the output connection, as it answered (a live one of that
 * version cannot be started from this tree): `exec-output` is an unknown method, `output` an
 * unknown key of exec; an exec without it is served in frames.
 */
async function olderDaemon(requests: string[]): Promise<string> {
  standIn = await socketStandIn('sessiond-older-', (socket) => {
    socket.once('data', (line: Buffer) => {
      const request = JSON.parse(line.toString('utf8')) as { id: number; method: string; params: Record<string, unknown> };
      requests.push(request.method + ('output' in request.params ? ' with output' : ''));
      const reply = (body: object) => `${JSON.stringify({ id: request.id, ...body })}\n`;
      if (request.method === 'exec-output') return void socket.end(reply({ error: { code: 'invalid_request', message: 'unknown method "exec-output"; the methods are …' } }));
      if ('output' in request.params) return void socket.end(reply({ error: { code: 'invalid_params', message: 'invalid params of exec: Unrecognized key: "output"' } }));
      socket.write(reply({ result: { pid: 4242 } }));
      socket.write(encodeFrame(FRAME.data, STREAM.stdout, Buffer.from('hi\n')));
      socket.end(encodeFrame(FRAME.exit, STREAM.stdout, Buffer.from(JSON.stringify({ code: 3, signal: null, timedOut: false }))));
    });
  });
  return standIn.path;
}

describe('a client newer than its daemon', () => {
  it('an exec falls back to frames when the daemon knows no output connection (a daemon still running after an upgrade)', async () => {
    const requests: string[] = [];
    const path = await olderDaemon(requests);
    expect(await execIn(localChannels(path), 's', ['sh', '-c', 'echo hi; exit 3'])).toEqual({ code: 3, signal: null, timedOut: false, stdout: 'hi\n', stderr: '' });
    expect(requests.sort()).toEqual(['exec', 'exec with output', 'exec-output']);
  });
});
