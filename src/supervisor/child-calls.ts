import { SessiondError } from '../contract/errors.js';

/** Past this a Node timer fires at once; a call with a longer deadline is bounded by the daemon's own. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The `send`s in flight to one child, matched to replies by id: many at once are never mixed
 * up, each is dropped at its deadline (a child that never replies holds nothing), and a child
 * that exits fails every one of them at once.
 */
export class ChildCalls {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (body: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout | null }>();

  /** Registers a call; `deliver` sends it with its id. */
  call(deliver: (id: number) => void, timeoutMs: number, child: string): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const drop = () => {
        this.pending.delete(id);
        reject(new SessiondError('timeout', `child ${child} did not reply within ${timeoutMs} ms`));
      };
      const timer = timeoutMs <= MAX_TIMER_MS ? setTimeout(drop, timeoutMs) : null;
      this.pending.set(id, { resolve, reject, timer });
      deliver(id);
    });
  }

  /** A reply from the child; one for no pending call (a late one) is dropped. */
  settle(id: number, reply: { body?: unknown; error?: string }): void {
    const call = this.take(id);
    if (!call) return;
    if (reply.error !== undefined) call.reject(new SessiondError('child_error', reply.error));
    else call.resolve(reply.body ?? null);
  }

  failAll(child: string, why: string): void {
    for (const id of [...this.pending.keys()]) this.take(id)!.reject(new SessiondError('not_running', `child ${child} ${why} before it replied`));
  }

  private take(id: number) {
    const call = this.pending.get(id);
    if (call?.timer) clearTimeout(call.timer);
    this.pending.delete(id);
    return call;
  }
}
