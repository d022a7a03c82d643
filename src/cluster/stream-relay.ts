import { randomUUID } from 'node:crypto';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { errorMessage, SessiondError } from '../contract/errors.js';
import { openChannel } from '../exec/exec-channel.js';
import { KIND, message, NatsPipe } from './nats-pipe.js';
import { streamOpenSubject, streamSubject } from './subjects.js';

/**
 * A node's side of exec and attach across the cluster: each opening is the request line a local
 * client sends, and the node sends it as one, on a connection of its own to its own control
 * socket (so the one exec path runs: the daemon's checks, the hand-over to the supervisor). The
 * bytes of that connection are relayed both ways over a NatsPipe; either end going away closes
 * the other, which stops the exec as a vanished local caller does. Nothing a peer sends can
 * throw here: a bad opening is answered with an error, bad frames end at the supervisor's decoder.
 */
export class StreamRelay {
  private readonly subscription: Subscription;
  private readonly pipes = new Set<NatsPipe>();
  /** The callers whose opening is under way (not answered yet), by reply subject. */
  private readonly opening = new Set<string>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly node: string,
    private readonly socketPath: string,
    private readonly log: Logger,
  ) {
    this.subscription = nc.subscribe(streamOpenSubject(node), {
      callback: (_error, msg) => {
        const caller = msg.reply;
        if (!caller) return;
        this.opening.add(caller);
        void this.open(msg, caller)
          .catch((error: unknown) => log.warn({ err: error }, `a stream opening failed: ${errorMessage(error)}`))
          .finally(() => this.opening.delete(caller));
      },
    });
  }

  /** Whether the opening answering to `caller` is under way here. */
  holds(caller: string): boolean {
    return this.opening.has(caller);
  }

  close(): void {
    this.subscription.unsubscribe();
    for (const pipe of this.pipes) pipe.destroy();
  }

  private async open(msg: Msg, caller: string): Promise<void> {
    if (msg.data[0] !== KIND.open) return;
    let request: { id?: unknown; method?: unknown; params?: unknown };
    try {
      request = JSON.parse(Buffer.from(msg.data.subarray(1)).toString('utf8')) as typeof request;
    } catch {
      return this.answer(caller, null, { error: new SessiondError('parse_error', 'the stream opening is not JSON').toJSON() });
    }
    const { id = null, method, params } = request ?? {};
    if (method !== 'exec' && method !== 'attach') return this.answer(caller, id, { error: new SessiondError('invalid_request', `a stream opens exec or attach, not ${JSON.stringify(method)}`).toJSON() });
    let channel;
    try {
      channel = await openChannel(this.socketPath, method, params);
    } catch (error) {
      const wire = error instanceof SessiondError ? error : new SessiondError('internal', `${method}: ${errorMessage(error)}`);
      return this.answer(caller, id, { error: wire.toJSON() });
    }
    const token = randomUUID();
    const own = streamSubject(this.node, token);
    const pipe: NatsPipe = new NatsPipe(this.nc, this.nc.subscribe(own, { callback: (_e, m): void => pipe.receive(m) }), caller);
    this.pipes.add(pipe);
    const { socket } = channel;
    const closeBoth = () => {
      this.pipes.delete(pipe);
      pipe.destroy();
      socket.destroy();
    };
    pipe.on('error', () => undefined).once('close', closeBoth);
    // The session's end closed the connection: what it sent still goes out (then the pipe's end), then both close.
    socket.on('error', () => undefined).once('close', () => (pipe.writableEnded && !pipe.writableFinished ? pipe.once('finish', closeBoth) : closeBoth()));
    socket.pipe(pipe);
    pipe.pipe(socket);
    this.answer(caller, id, { result: channel.result }, own);
  }

  private answer(caller: string, id: unknown, body: object, own?: string): void {
    if (this.nc.isClosed()) return;
    this.nc.publish(caller, message(KIND.open, Buffer.from(JSON.stringify({ id, ...body }))), own ? { reply: own } : {});
  }
}
