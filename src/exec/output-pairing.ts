import type { Socket } from 'node:net';
import type { OutputOrder } from './exec-messages.js';
import { replyLine } from './reply-line.js';

/** How long an exec waits for its output connection, and an output connection for its exec. */
export const PAIR_MS = 5000;

/** An exec's output connection, claimed: its socket, and the request id its first reply names. */
export interface OutputConnection {
  readonly socket: Socket;
  readonly request: unknown;
}

type Waiting =
  | { readonly side: 'exec'; readonly settle: (output: OutputConnection | Refusal) => void }
  | { readonly side: 'output'; readonly output: OutputConnection; readonly drop: () => void };

export interface Refusal {
  readonly code: 'busy' | 'timeout' | 'not_running' | 'invalid_params';
  readonly message: string;
}

/**
 * Pairs an exec's connection with its output connection (exec-output) by the nonce both carry: the
 * client opens the two at once, and they reach the supervisor in either order. Whichever comes
 * first waits, PAIR_MS at most: an output connection never claimed is closed with an error, and
 * an exec whose output connection does not come is refused (nothing is run). A nonce is claimed
 * once: a second connection with one already waiting is refused, so no one can take an exec's output.
 */
export class OutputPairing {
  private readonly waiting = new Map<string, Waiting>();
  private closed = false;

  constructor(private readonly waitMs = PAIR_MS) {}

  /** The exec's side: its output connection once it comes, or why not (the exec's own connection lost, too). */
  claim(nonce: string, exec: Socket): Promise<OutputConnection | Refusal> {
    if (this.closed) return Promise.resolve(stopping());
    const found = this.waiting.get(nonce);
    if (found?.side === 'output') {
      found.drop();
      return Promise.resolve(found.output);
    }
    if (found) return Promise.resolve({ code: 'busy', message: 'exec: another exec already waits for this output connection; give each exec a nonce of its own' });
    return new Promise((resolve) => {
      let settled = false;
      const done = (output: OutputConnection | Refusal) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        exec.off('close', lost);
        this.waiting.delete(nonce);
        resolve(output);
      };
      const timer = afterIo(this.waitMs, () => done({ code: 'timeout', message: `exec: its output connection (exec-output with the same nonce) did not come within ${this.waitMs} ms; nothing was run` }));
      const lost = () => done({ code: 'not_running', message: 'exec: the caller went away before its output connection came' });
      exec.once('close', lost);
      this.waiting.set(nonce, { side: 'exec', settle: done });
    });
  }

  /** The output connection's side: claimed by its exec (now or once it comes), or closed. */
  offer(order: OutputOrder, socket: Socket): void {
    socket.on('error', () => undefined);
    const output = { socket, request: order.request };
    if (this.closed) return refuse(output, stopping());
    const found = this.waiting.get(order.nonce);
    if (found?.side === 'exec') return found.settle(output);
    if (found) return refuse(output, { code: 'busy', message: 'exec-output: another connection already waits with this nonce' });
    const drop = () => {
      clearTimeout(timer);
      socket.off('close', drop);
      this.waiting.delete(order.nonce);
    };
    const waiting: Waiting = { side: 'output', output, drop };
    const timer = afterIo(this.waitMs, () => {
      if (this.waiting.get(order.nonce) !== waiting) return; // claimed meanwhile
      drop();
      refuse(output, { code: 'timeout', message: `exec-output: no exec of this session named its nonce within ${this.waitMs} ms` });
    });
    socket.once('close', drop);
    this.waiting.set(order.nonce, waiting);
  }

  /** The session is stopping: whatever waits is refused, and nothing waits any more. */
  close(): void {
    this.closed = true;
    for (const [, waiting] of this.waiting) {
      if (waiting.side === 'exec') waiting.settle(stopping());
      else {
        waiting.drop();
        refuse(waiting.output, stopping());
      }
    }
  }
}

/** Its first reply is the error, then it closes. */
export function refuse(output: OutputConnection, refusal: Refusal): void {
  output.socket.end(replyLine(output.request, { error: { code: refusal.code, message: refusal.message } }));
}

// After `ms`, and after the I/O already waiting: a supervisor thawed after a long pause reads the
// other connection's message (there already) before its partner's timer gives up on it.
function afterIo(ms: number, fire: () => void): NodeJS.Timeout {
  return setTimeout(() => setImmediate(fire), ms);
}

function stopping(): Refusal {
  return { code: 'not_running', message: 'exec: the session is stopping' };
}
