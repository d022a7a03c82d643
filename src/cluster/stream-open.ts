import type { NatsConnection } from '@nats-io/transport-node';
import { errorMessage, SessiondError, type ErrorCode } from '../contract/errors.js';
import type { ExecChannel } from '../exec/exec-channel.js';
import type { NatsModule } from './nats.js';
import { KIND, message, NatsPipe } from './nats-pipe.js';
import { nodeUnreachable } from './remote-caller.js';
import { watchHeld } from './held-check.js';
import { streamOpenSubject } from './subjects.js';
import { isNoResponders } from './wire.js';

/**
 * The caller's end of an exec or attach on `node`: the request line goes to the node's stream
 * subject with a fresh inbox as reply; the node answers there with its first reply line (the
 * open message, whose reply subject is the node's end), then the frames' bytes over a NatsPipe.
 */
export function openRemoteChannel(nats: NatsModule, nc: NatsConnection, node: string, method: 'exec' | 'attach', params: unknown): Promise<ExecChannel> {
  const inbox = nats.createInbox();
  return new Promise((resolve, reject) => {
    let pipe: NatsPipe | null = null;
    const fail = (error: SessiondError) => {
      stopCheck();
      subscription.unsubscribe();
      reject(error);
    };
    const subscription = nc.subscribe(inbox, {
      callback: (_error, msg) => {
        if (pipe) return pipe.receive(msg);
        if (isNoResponders(msg)) return fail(nodeUnreachable(node, `no daemon serves node ${node}`));
        if (msg.data[0] !== KIND.open) return;
        stopCheck();
        let reply: { result?: unknown; error?: { code: ErrorCode; message: string } };
        try {
          reply = JSON.parse(Buffer.from(msg.data.subarray(1)).toString('utf8')) as typeof reply;
        } catch {
          return fail(new SessiondError('internal', `node ${node} sent a ${method} reply that is not JSON`));
        }
        // A refusal (busy, not_found…) comes without the node's end: there is no stream to open.
        if (reply.error) return fail(new SessiondError(reply.error.code, reply.error.message));
        if (!msg.reply) return fail(new SessiondError('internal', `node ${node} opened a ${method} without naming its end of the stream`));
        pipe = new NatsPipe(nc, subscription, msg.reply, (cause) => nodeUnreachable(node, `its ${method} stream went silent: the node or the cluster is gone (${errorMessage(cause)})`));
        pipe.pause();
        resolve({ socket: pipe, result: reply.result });
      },
    });
    const stopCheck = watchHeld(nc, node, inbox, fail);
    nc.publish(streamOpenSubject(node), message(KIND.open, Buffer.from(JSON.stringify({ id: 1, method, params }))), { reply: inbox });
  });
}
