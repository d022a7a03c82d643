/**
 * The helper for child authors: a Node module run by a session supervisor calls `startChild()`.
 * It does the handshake (init → ready), answers heartbeats, reports activity, and exits on
 * shutdown, SIGTERM, or when the supervisor's channel closes. No imports beyond Node's own
 * `process`: every session pays for what a child loads.
 */
import { isToChild, type ChildInit, type FromChild } from '../ipc/child-messages.js';

export type { ChildInit } from '../ipc/child-messages.js';

export interface StartChildOptions {
  /** Send `ready` as soon as init arrives (default). Set false to call `child.ready()` yourself. */
  readonly ready?: boolean;
  /** Runs before the process exits on shutdown, SIGTERM or disconnect. */
  readonly onShutdown?: () => void | Promise<void>;
}

export interface SessionChild {
  /** The session id, this child's name, the session's metadata and llm config. */
  readonly init: ChildInit;
  /** Tells the supervisor this child is ready (only needed with `ready: false`). */
  ready(): void;
  /** Marks the session active: a session with no activity for the idle timeout becomes idle. */
  activity(detail?: string): void;
  /**
   * Answers `sessionctl send` (and SessionClient.send): `handler` gets the JSON sent and returns
   * the reply (or a promise of it); what it throws is the caller's `child_error`. One handler.
   */
  onMessage(handler: (body: unknown) => unknown): void;
  /** Publishes `data` under `topic`: the daemon keeps the session's last 1000 (`sessionctl messages`). */
  publish(topic: string, data: unknown): void;
  /** Ends this child with `code` once every reply and publish it made is out (process.exit alone may drop them). */
  exit(code?: number): void;
}

export function startChild(options: StartChildOptions = {}): Promise<SessionChild> {
  if (!process.send) {
    return Promise.reject(new Error('startChild: no IPC channel: this module must be run by a sessiond supervisor'));
  }
  // Messages written but not yet out (a full pipe): `exit` waits for them, since process.exit drops them.
  let unsent = 0;
  let flushed: (() => void) | null = null;
  const sent = () => {
    unsent -= 1;
    if (unsent === 0) flushed?.();
  };
  const send = (message: FromChild) => {
    if (!process.connected) return;
    unsent += 1;
    process.send!(message, undefined, {}, sent);
  };
  const exit = (code = 0) => {
    if (unsent === 0 || !process.connected) process.exit(code);
    flushed = () => process.exit(code);
  };
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await options.onShutdown?.();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);

  let handler: ((body: unknown) => unknown) | null = null;
  const answer = async (id: number, body: unknown) => {
    try {
      if (!handler) throw new Error('this child has no onMessage handler');
      send({ type: 'sessiond:reply', id, body: (await handler(body)) ?? null });
    } catch (error) {
      send({ type: 'sessiond:reply', id, error: error instanceof Error ? error.message : String(error) });
    }
  };

  return new Promise((resolve) => {
    process.on('message', (message: unknown) => {
      if (!isToChild(message)) return;
      switch (message.type) {
        case 'sessiond:init': {
          if (message.init.cwd !== undefined && message.init.cwd !== process.cwd()) process.chdir(message.init.cwd);
          const child: SessionChild = {
            init: message.init,
            ready: () => send({ type: 'sessiond:ready' }),
            activity: (detail) => send(detail === undefined ? { type: 'sessiond:activity' } : { type: 'sessiond:activity', detail }),
            onMessage: (h) => {
              // Tells the supervisor this child answers sends: a send with no --child comes to the first that does.
              if (!handler) send({ type: 'sessiond:serves' });
              handler = h;
            },
            publish: (topic, data) => send({ type: 'sessiond:publish', topic, data }),
            exit,
          };
          if (options.ready !== false) child.ready();
          resolve(child);
          break;
        }
        case 'sessiond:ping':
          send({ type: 'sessiond:pong', seq: message.seq });
          break;
        case 'sessiond:shutdown':
          void stop();
          break;
        case 'sessiond:call':
          void answer(message.id, message.body);
          break;
      }
    });
  });
}
