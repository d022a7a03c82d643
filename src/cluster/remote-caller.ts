import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { SessiondError, type ErrorCode } from '../contract/errors.js';
import type { Reply } from '../control/protocol.js';
import type { NatsModule } from './nats.js';
import { watchHeld } from './held-check.js';
import { cancelSubject, rpcSubject } from './subjects.js';
import { isNoResponders, LineJoiner } from './wire.js';

interface Pending {
  readonly node: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly partial: ((result: unknown) => void) | undefined;
  readonly joiner: LineJoiner;
  readonly stopCheck: () => void;
}

/** The error of a call whose node does not answer. */
export function nodeUnreachable(node: string, why: string): SessiondError {
  return new SessiondError('node_unreachable', `node ${node} is unreachable (${why}); its sessions come back when its daemon does (see sessionctl nodes)`);
}

/**
 * Requests to nodes, as the control socket's request lines, with every reply (a stream's many)
 * coming back on one inbox subscription, matched by subject. A call fails at once when nobody
 * serves the node (NATS's no-responders), within seconds when the node stops answering or does
 * not hold the call (held-check.ts), and when the cluster connection is lost.
 */
export class RemoteCaller {
  private readonly inbox: string;
  private readonly pending = new Map<string, Pending>();
  private readonly subscription: Subscription;
  private next = 1;

  constructor(
    nats: NatsModule,
    private readonly nc: NatsConnection,
  ) {
    this.inbox = nats.createInbox();
    this.subscription = nc.subscribe(`${this.inbox}.>`, { callback: (_error, msg) => this.receive(msg) });
  }

  call(node: string, method: string, params: unknown, partial?: (result: unknown) => void): Promise<unknown> {
    const id = this.next++;
    const reply = `${this.inbox}.${id}`;
    return new Promise((resolve, reject) => {
      const stopCheck = watchHeld(this.nc, node, reply, (error) => this.settle(reply)?.reject(error));
      this.pending.set(reply, { node, resolve, reject, partial, joiner: new LineJoiner(), stopCheck });
      this.nc.publish(rpcSubject(node), JSON.stringify({ id, method, params }), { reply });
    });
  }

  /** Ends every call: `error` for each, and each stream's node told to stop it. */
  failAll(error: SessiondError): void {
    for (const reply of [...this.pending.keys()]) this.cancel(reply, error);
  }

  // Ends one call with `error`; its node is told to stop it (a stream would go on).
  private cancel(reply: string, error: unknown): void {
    const pending = this.settle(reply);
    if (!pending) return;
    if (!this.nc.isClosed()) this.nc.publish(cancelSubject(pending.node), reply);
    pending.reject(error);
  }

  close(): void {
    this.failAll(new SessiondError('cluster_unavailable', 'the cluster connection was closed'));
    this.subscription.unsubscribe();
  }

  private receive(msg: Msg): void {
    // A node checks that a long call's client is still there.
    if (msg.subject.endsWith('.alive')) return void msg.respond('');
    const pending = this.pending.get(msg.subject);
    if (!pending) return;
    if (isNoResponders(msg)) return this.settle(msg.subject)?.reject(nodeUnreachable(pending.node, `no daemon serves node ${pending.node}`));
    const line = pending.joiner.push(msg);
    if (line === null) return;
    let answer: Reply;
    try {
      answer = JSON.parse(line) as Reply;
      if (typeof answer !== 'object' || answer === null) throw new Error(`not a JSON object: ${line.slice(0, 80)}`);
    } catch (error) {
      return this.cancel(msg.subject, new SessiondError('internal', `node ${pending.node} sent a reply that cannot be read`, { cause: error }));
    }
    if ('result' in answer && answer.more) {
      // The handler is the caller's code: what it throws ends that call with the caller's own error.
      try {
        pending.partial?.(answer.result);
      } catch (error) {
        this.cancel(msg.subject, error);
      }
      return;
    }
    this.settle(msg.subject);
    if ('error' in answer) pending.reject(new SessiondError(answer.error.code as ErrorCode, answer.error.message));
    else pending.resolve(answer.result);
  }

  private settle(reply: string): Pending | undefined {
    const pending = this.pending.get(reply);
    if (!pending) return undefined;
    pending.stopCheck();
    this.pending.delete(reply);
    return pending;
  }
}
