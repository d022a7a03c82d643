import { SessiondError } from '../contract/errors.js';
import { openChannel, requestStream, type ExecChannel } from './exec-channel.js';
import { randomHex } from './nonce.js';

/**
 * An exec whose stdout comes on an output connection of its own: the process writes into that
 * socket itself, one hop fewer than frames relayed by its supervisor (the hop that held exec's
 * throughput far under a pipe's). Both connections are opened at once, with no round trip between:
 * the output connection (`exec-output`) names the session and a random nonce of 128 bits that the
 * exec's request carries too, and the supervisor pairs the two.
 */
export async function openDirect(path: string, params: { readonly id: string }): Promise<ExecChannel> {
  const nonce = randomHex(16);
  const output = requestStream(path, 'exec-output', { id: params.id, nonce });
  output.reply.catch(() => undefined);
  const exec = requestStream(path, 'exec', { ...params, output: nonce });
  let channel: ExecChannel;
  try {
    channel = await exec.reply;
  } catch (error) {
    output.socket.destroy(); // nothing will claim it: closed now, not after the supervisor's wait
    // A daemon older than this client (still running after an upgrade) knows no output
    // connection: the exec goes the way it knows, its stdout in frames.
    if (error instanceof SessiondError && error.code === 'invalid_params' && error.message.includes('Unrecognized key: "output"')) return openChannel(path, 'exec', params);
    throw error;
  }
  try {
    // Its reply was written before the exec's: here already, or about to be.
    return { ...channel, output: (await output.reply).socket };
  } catch (error) {
    channel.socket.destroy(); // the exec goes with its caller
    throw error;
  }
}
