import type { Socket } from 'node:net';
import { errorMessage, SessiondError } from '../contract/errors.js';
import { parseOrThrow, type SessionSpec } from '../contract/spec.js';
import type { ChannelTarget } from '../exec/client-exec.js';
import { firstReply } from '../exec/exec-channel.js';
import { attachMessage, EXEC_PARAMS, execMessage, type HandOverMessage } from '../exec/exec-params.js';
import { pairsDir, socketPair } from '../exec/socket-pair.js';

/** What the channels need of the manager: a session's spec (not_found), and its supervisor taking a connection. */
export interface HandOverTarget {
  spec(id: string): SessionSpec;
  handOver(id: string, message: HandOverMessage, socket: Socket): Promise<void>;
}

// The id of the only request on each connection: its first reply names it.
const REQUEST = 1;

/**
 * exec and attach in the manager's own process: what the daemon does with a client's connection
 * (check the params, find the session, hand the connection to its supervisor) done with one end of
 * a socket pair, while the other end is read as SessionClient reads its connection. Same params,
 * same errors, same frames, one code path (src/exec/client-exec.ts).
 */
export function handOverChannels(home: string, target: HandOverTarget): ChannelTarget {
  let pairs: string | undefined;
  return {
    async open(method, params) {
      const { id, message } = method === 'exec' ? execOrder(target, params) : attachOrder(params);
      const [ours, theirs] = await socketPair((pairs ??= pairsDir(home)));
      const reply = firstReply(ours, method, {
        failed: (error) => new SessiondError('not_running', `session ${id}: its ${method} connection failed: ${errorMessage(error)}`, { cause: error }),
        closed: () => new SessiondError('not_running', `session ${id}: its supervisor closed the ${method} connection before replying`),
      });
      try {
        await target.handOver(id, message, theirs);
      } catch (error) {
        reply.catch(() => undefined);
        ours.destroy();
        theirs.destroy();
        throw error;
      }
      return reply;
    },
  };
}

// Checked as the control socket's dispatch checks them, then the session found (not_found), as its handlers do.
function execOrder(target: HandOverTarget, params: unknown): { id: string; message: HandOverMessage } {
  const parsed = parseOrThrow(EXEC_PARAMS.exec, params, 'params of exec');
  return { id: parsed.id, message: execMessage(target.spec(parsed.id), parsed, REQUEST) };
}

function attachOrder(params: unknown): { id: string; message: HandOverMessage } {
  const parsed = parseOrThrow(EXEC_PARAMS.attach, params, 'params of attach');
  return { id: parsed.id, message: attachMessage(parsed, REQUEST) };
}
