import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { errorMessage, SessiondError } from '../contract/errors.js';
import { describeIssues, parseOrThrow } from '../contract/spec.js';
import { isMethod, METHODS, PARAMS, request, type Method, type ParamsOf, type Reply, type RequestId, type Results } from './protocol.js';

/** What a handler may do besides returning its result. */
export interface RequestContext {
  /** Aborted when the client disconnects: a streaming handler stops there. */
  readonly signal: AbortSignal;
  /** Sends an intermediate result (`more: true`) before the final one: how a stream replies. */
  readonly partial: (result: unknown) => void;
  /** Bytes written to the client and not yet taken by it: a stream cuts off a reader that falls behind. */
  readonly unread: () => number;
  /**
   * Takes the client's connection out of the control protocol (exec, attach): no reply is sent on
   * it any more, and the caller owns the socket. Throws when the connection carries anything else.
   */
  readonly takeConnection: () => { readonly socket: Socket; readonly request: RequestId };
}

export type Handler<M extends Method> = (params: ParamsOf<M>, context: RequestContext) => Promise<Results[M]>;
export type Handlers = { readonly [M in Method]: Handler<M> };

interface DispatchContext {
  readonly send: (reply: Reply) => void;
  readonly unread: () => number;
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly takeConnection: () => Socket;
}

/** Handles one request line from parse to reply; every failure becomes an error reply, never a throw. */
export async function dispatch(line: string, handlers: Handlers, context: DispatchContext): Promise<void> {
  let id: RequestId | null = null;
  const started = Date.now();
  let method = '?';
  try {
    const envelope = parseEnvelope(line, (known) => (id = known));
    id = envelope.id;
    method = envelope.method;
    if (!isMethod(envelope.method)) {
      throw new SessiondError('invalid_request', `unknown method ${JSON.stringify(envelope.method)}; the methods are ${METHODS.join(', ')}`);
    }
    const request = envelope.id;
    const result = await invoke(envelope.method, envelope.params, handlers, {
      signal: context.signal,
      unread: context.unread,
      partial: (partial) => context.send({ id, result: partial, more: true }),
      takeConnection: () => ({ socket: context.takeConnection(), request }),
    });
    context.send({ id, result });
    context.log.info({ method, id, ms: Date.now() - started }, 'request done');
  } catch (error) {
    const wire = error instanceof SessiondError ? error : new SessiondError('internal', `internal error in ${method}: ${errorMessage(error)}`, { cause: error });
    context.send({ id, error: wire.toJSON() });
    const level = wire.code === 'internal' ? 'error' : 'info';
    context.log[level]({ method, id, code: wire.code, err: wire.code === 'internal' ? error : undefined, ms: Date.now() - started }, wire.message);
  }
}

// `onId` learns the request's id as soon as it is readable, so even an invalid request's error names it.
function parseEnvelope(line: string, onId: (id: RequestId) => void) {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    throw new SessiondError('parse_error', `request is not valid JSON: ${errorMessage(error)}`);
  }
  const id = (json as { id?: unknown } | null)?.id;
  if (typeof id === 'string' || typeof id === 'number') onId(id);
  const parsed = request.safeParse(json);
  if (!parsed.success) {
    throw new SessiondError('invalid_request', `request must be {"id", "method", "params"}: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

// The one place where a method name meets its schema and its handler.
function invoke<M extends Method>(method: M, params: unknown, handlers: Handlers, context: RequestContext): Promise<Results[M]> {
  const parsed = parseOrThrow(PARAMS[method], params, `params of ${method}`) as ParamsOf<M>;
  return handlers[method](parsed, context);
}
