import { errorMessage, SessiondError } from '../contract/errors.js';
import type { SessionManager } from '../manager/session-manager.js';
import { attachMessage, execMessage, outputMessage, type HandOverMessage } from '../exec/exec-params.js';
import { replyLine } from '../exec/reply-line.js';
import type { Handlers, RequestContext } from './dispatch.js';
import type { ExecResults } from './exec-protocol.js';
import type { SessionLookup } from './lookup.js';

type ExecHandlers = Pick<Handlers, keyof ExecResults>;

/**
 * exec, exec-output and attach: the daemon checks the request and finds the session, then hands the
 * client's connection to its supervisor, which answers on it (the first reply, then frames, or an
 * exec's raw stdout on its output connection). An error before that is an ordinary reply; the
 * daemon carries none of the exec's bytes.
 */
export function createExecHandlers(manager: SessionManager, lookup: SessionLookup): ExecHandlers {
  const live = (id: string): string => lookup.live(id, 'nothing can run in it');
  const hand = async (id: string, context: RequestContext, message: (request: unknown) => HandOverMessage) => {
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
    async exec(params, context) {
      const spec = manager.record(live(params.id)).spec;
      await hand(params.id, context, (request) => execMessage(spec, params, request));
      return { pid: null }; // never sent: the supervisor answers on the connection
    },
    // Its exec, in the same session, names the nonce: the supervisor pairs the two (output-pairing.ts).
    async 'exec-output'(params, context) {
      live(params.id);
      await hand(params.id, context, (request) => outputMessage(params, request));
      return { stream: 'stdout' };
    },
    async attach(params, context) {
      live(params.id);
      await hand(params.id, context, (request) => attachMessage(params, request));
      return { child: params.child, pid: 0 };
    },
  };
}
