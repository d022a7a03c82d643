import { SessiondError } from '../contract/errors.js';

/**
 * The `send`s in flight to one child, matched to replies by id: many at once are never mixed
 * up, and a child that exits fails every one of them at once.
 */
export class ChildCalls {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (body: unknown) => void; reject: (error: Error) => void }>();

  /** Registers a call; `deliver` sends it with its id. */
  call(deliver: (id: number) => void): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      deliver(id);
    });
  }

  /** A reply from the child; one for no pending call (a late one) is dropped. */
  settle(id: number, reply: { body?: unknown; error?: string }): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    if (reply.error !== undefined) call.reject(new SessiondError('child_error', reply.error));
    else call.resolve(reply.body ?? null);
  }

  failAll(child: string, why: string): void {
    for (const call of this.pending.values()) call.reject(new SessiondError('not_running', `child ${child} ${why} before it replied`));
    this.pending.clear();
  }
}
