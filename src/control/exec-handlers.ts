import { errorMessage, SessiondError } from '../contract/errors.js';
import type { SessionManager } from '../manager/session-manager.js';
import { execCwd } from '../exec/exec-cwd.js';
import { replyLine } from '../exec/reply-line.js';
import type { Handlers, RequestContext } from './dispatch.js';
import type { ExecResults } from './exec-protocol.js';
import type { SessionLookup } from './lookup.js';

type ExecHandlers = Pick<Handlers, keyof ExecResults>;

/**
 * exec and attach: the daemon checks the request and finds the session, then hands the client's
 * connection to its supervisor, which answers on it (the first reply, then frames). An error
 * before that is an ordinary reply; the daemon carries none of the exec's bytes.
 */
export function createExecHandlers(manager: SessionManager, lookup: SessionLookup): ExecHandlers {
  const live = (id: string): string => lookup.live(id, 'nothing can run in it');
  const hand = async (id: string, context: RequestContext, message: (request: unknown) => Parameters<SessionManager['handOver']>[1]) => {
    const { socket, request } = context.takeConnection();
    try {
      await manager.handOver(id, message(request), socket);
    } catch (error) {
      // The connection is ours now, not the dispatcher's: the error goes on it, then it closes.
      const wire = error instanceof SessiondError ? error : new SessiondError('internal', `exec: ${errorMessage(error)}`);
      if (!socket.destroyed) socket.end(replyLine(request, { error: wire.toJSON() }));
    }
  };
  return {
    async exec({ id, argv, cwd, env, timeoutMs, tty }, context) {
      const spec = manager.record(live(id)).spec;
      const order = { argv, cwd: execCwd(spec, cwd), env, timeoutMs: timeoutMs ?? null, tty: tty ?? null };
      await hand(id, context, (request) => ({ type: 'exec', exec: { request, ...order } }));
      return { pid: null }; // never sent: the supervisor answers on the connection
    },
    async attach({ id, child }, context) {
      live(id);
      await hand(id, context, (request) => ({ type: 'attach', attach: { request, child } }));
      return { child, pid: 0 };
    },
  };
}
