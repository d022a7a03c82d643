import type { Handler, Handlers } from '../control/dispatch.js';
import { METHODS, type Method } from '../control/protocol.js';
import type { Journal } from './journal.js';

/**
 * Every reply leaves only once what its request did is in the store. The journal writes a moment's
 * events at setImmediate; a create answered before its `session.active` was written would, were
 * the daemon SIGKILLed in between, come back to the next daemon as a start interrupted, though its
 * caller was told it was active (the contract brings back every active session). The write is the
 * same either way; only its place moves before the reply.
 */
export function recordedBeforeReply(handlers: Handlers, journal: Journal): Handlers {
  const wrapped: Partial<Record<Method, Handler<Method>>> = {};
  for (const method of METHODS) {
    const handler = handlers[method] as Handler<Method>;
    wrapped[method] = async (params, context) => {
      try {
        return await handler(params, context);
      } finally {
        journal.flush();
      }
    };
  }
  return wrapped as Handlers;
}
