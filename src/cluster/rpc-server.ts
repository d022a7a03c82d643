import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { errorMessage, SessiondError } from '../contract/errors.js';
import { dispatch, type Handlers } from '../control/dispatch.js';
import type { NatsModule } from './nats.js';
import { aliveSubject, cancelSubject, queueGroup, rpcSubject } from './subjects.js';
import { publishLine } from './wire.js';

/** A request still running this long is checked every so often: a client that is gone ends it. */
const CHECK_CLIENT_EVERY_MS = 5000;
/** The final reply waits this long at most for `beforeFinal` (NATS slow or away): the client is answered regardless. */
const SETTLE_MS = 3000;

/**
 * Serves a node's requests from the cluster: each message is a control socket request line, fed
 * to the same dispatch (and handlers) as the socket, its replies published to the message's reply
 * subject. A stream (events --follow, logs --follow) ends when its client cancels, or no longer
 * answers on the stream's alive subject (it died, or lost the cluster).
 */
export class RpcServer {
  private readonly running = new Map<string, AbortController>();
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly nats: NatsModule,
    private readonly nc: NatsConnection,
    private readonly node: string,
    private readonly handlers: Handlers,
    private readonly log: Logger,
    /** Runs before a request's final reply goes out (a create: the node's new count announced first). */
    private readonly beforeFinal: (method: string) => Promise<void>,
  ) {
    const queue = queueGroup(node);
    this.subscriptions.push(
      nc.subscribe(rpcSubject(node), { queue, callback: (error, msg) => (error ? log.warn({ err: error }, 'cluster requests') : void this.serve(msg)) }),
      nc.subscribe(cancelSubject(node), { callback: (_error, msg) => this.running.get(msg.string())?.abort() }),
    );
  }

  /** Whether the request answering to `reply` runs here (until its final reply has gone out). */
  holds(reply: string): boolean {
    return this.running.has(reply);
  }

  close(): void {
    for (const sub of this.subscriptions) sub.unsubscribe();
    for (const controller of this.running.values()) controller.abort();
  }

  private async serve(msg: Msg): Promise<void> {
    const reply = msg.reply;
    if (!reply) return;
    const controller = new AbortController();
    this.running.set(reply, controller);
    const check = setInterval(() => void this.checkClient(reply, controller), CHECK_CLIENT_EVERY_MS);
    const line = msg.string();
    const method = methodOf(line);
    let final: Promise<void> = Promise.resolve();
    try {
      await dispatch(line, this.handlers, {
        signal: controller.signal,
        unread: () => 0,
        takeConnection: notOverNats,
        log: this.log,
        send: (answer) => {
          if (controller.signal.aborted) return;
          const out = JSON.stringify(answer);
          if ('more' in answer && answer.more) return publishLine(this.nats, this.nc, reply, out);
          final = settled(this.beforeFinal(method), SETTLE_MS).finally(() => publishLine(this.nats, this.nc, reply, out));
        },
      });
    } catch (error) {
      this.log.error({ err: error }, `cluster request failed: ${errorMessage(error)}`);
    } finally {
      clearInterval(check);
      await final.catch(() => undefined);
      this.running.delete(reply);
    }
  }

  private async checkClient(reply: string, controller: AbortController): Promise<void> {
    try {
      await this.nc.request(aliveSubject(reply), '', { timeout: CHECK_CLIENT_EVERY_MS });
    } catch {
      if (!this.nc.isClosed()) controller.abort();
    }
  }
}

/** `work` settled, or `ms` gone by, whichever is first. */
function settled(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work.then(() => undefined, () => undefined), late]).finally(() => clearTimeout(timer));
}

function methodOf(line: string): string {
  try {
    return String((JSON.parse(line) as { method?: unknown }).method);
  } catch {
    return '?';
  }
}

/** exec and attach stream over a connection of their own, opened on the node's stream subject (stream-relay.ts), never as a request. */
export function notOverNats(): never {
  throw new SessiondError('invalid_request', 'exec and attach across the cluster open a stream of their own (ClusterClient.openChannel), not a request');
}
