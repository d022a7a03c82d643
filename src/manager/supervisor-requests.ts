import { SessiondError, type ErrorCode } from '../contract/errors.js';
import { longTimeout, type LongTimer } from '../contract/long-timer.js';
import type { SupervisorRequest, ToSupervisor } from '../ipc/supervisor-messages.js';

/**
 * Requests to one session's supervisor, matched to its responses by id, each with a deadline.
 * When the supervisor goes, every one still in flight fails at once.
 */
export class SupervisorRequests {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void; timer: LongTimer }>();

  constructor(private readonly send: (message: ToSupervisor) => void) {}

  request(request: SupervisorRequest, timeoutMs: number, onTimeout: () => string): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = longTimeout(() => {
        this.pending.delete(id);
        reject(new SessiondError('timeout', onTimeout()));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.send({ type: 'request', id, request });
    });
  }

  settle(id: number, response: { result?: unknown; error?: { code: string; message: string } }): void {
    const call = this.pending.get(id);
    if (!call) return; // timed out meanwhile
    this.pending.delete(id);
    call.timer.cancel();
    if (response.error) call.reject(new SessiondError(response.error.code as ErrorCode, response.error.message));
    else call.resolve(response.result ?? null);
  }

  failAll(why: string): void {
    for (const call of this.pending.values()) {
      call.timer.cancel();
      call.reject(new SessiondError('not_running', why));
    }
    this.pending.clear();
  }
}
