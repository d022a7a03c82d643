import { describeExit } from '../contract/session.js';
import { isFromChild, type ChildInit } from '../ipc/child-messages.js';
import type { Spawned } from '../process/spawn-child.js';

// What a newcomer's Node module that never says ready is missing.
const NOT_READY_HINT = `a Node module child must call startChild() from 'sessiond/child', which says ready; a program that does not is run as a command: --command "NAME=node FILE"`;

/** What one run of a Node child says on its channel, for its slot to act upon. */
export interface RunEvents {
  /** False once the slot runs another process: messages of an old run are ignored. */
  current(): boolean;
  ready(): void;
  /** It missed `missedHeartbeats` pongs in a row. */
  hung(): void;
  activity(): void;
  reply(id: number, reply: { body?: unknown; error?: string }): void;
  publish(topic: string, data: unknown): void;
  /** It registered an onMessage handler: it answers sends. */
  serves(): void;
}

export interface HandshakeOptions {
  readonly init: ChildInit;
  /** Epoch ms by which it must be ready. */
  readonly deadline: number;
  readonly startTimeoutMs: number;
  readonly missedHeartbeats: number;
  /** Paused: the daemon froze the children, not us; their silence is no hang, and no ping piles up. */
  readonly paused: () => boolean;
}

/**
 * init → ready, then a ping each heartbeat: resolves null once the child is ready, else why it is
 * not (it exited first, or missed the deadline: it is then `kill`ed). `stop()` ends the heartbeat.
 */
export function handshake(proc: Spawned, options: HandshakeOptions, events: RunEvents, kill: () => void): { ready: Promise<string | null>; stop(): void } {
  let heartbeat: NodeJS.Timeout | null = null;
  let missed = 0;
  let seq = 0;
  const stop = () => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = null;
  };
  const ready = new Promise<string | null>((resolve) => {
    const timeout = setTimeout(() => {
      resolve(`was not ready within the start timeout (${options.startTimeoutMs} ms): ${NOT_READY_HINT}`);
      kill();
    }, Math.max(0, options.deadline - Date.now()));
    void proc.exited.then((exit) => {
      clearTimeout(timeout);
      stop();
      resolve(`exited (${describeExit(exit)}) before it was ready`);
    });
    proc.subprocess.on('message', (message: unknown) => {
      if (!isFromChild(message) || !events.current()) return;
      switch (message.type) {
        case 'sessiond:ready':
          clearTimeout(timeout);
          events.ready();
          stop();
          heartbeat = setInterval(() => {
            if (options.paused()) return void (missed = 0);
            if (++missed <= options.missedHeartbeats) return proc.send({ type: 'sessiond:ping', seq: ++seq });
            stop();
            events.hung();
          }, options.init.heartbeatMs);
          return resolve(null);
        case 'sessiond:pong':
          missed = 0;
          return;
        case 'sessiond:activity':
          return events.activity();
        case 'sessiond:reply':
          return events.reply(message.id, message);
        case 'sessiond:publish':
          return events.publish(message.topic, message.data);
        case 'sessiond:serves':
          return events.serves();
      }
    });
    proc.send({ type: 'sessiond:init', init: options.init });
  });
  return { ready, stop };
}
