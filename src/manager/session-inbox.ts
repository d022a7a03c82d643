import type { EventType } from '../contract/events.js';
import { execEventFields } from '../exec/hand-over.js';
import type { FromSupervisor } from '../ipc/supervisor-messages.js';
import type { PublishedMessage } from './message-log.js';
import type { SessionClock } from './session-clock.js';
import type { RuntimeInput } from './session-step.js';

/** Where a supervisor's messages go: the runtime's step, its clock, and the events and messages it passes on. */
export interface Inbox {
  readonly session: string;
  readonly input: (input: RuntimeInput) => void;
  readonly clock: SessionClock;
  readonly emit: (type: EventType, fields?: Record<string, unknown>) => void;
  readonly publish: (message: PublishedMessage) => void;
}

/** A message from the supervisor (its responses are settled by the link): an input of the step, or passed on as it is. */
export function receive(message: Exclude<FromSupervisor, { type: 'response' }>, to: Inbox): void {
  switch (message.type) {
    case 'ready':
      return to.input({ kind: 'ready', children: message.children });
    case 'start_failed':
      return to.input({ kind: 'start_failed', reason: message.error });
    case 'pong':
      return to.clock.pong();
    case 'child':
      return to.input({ kind: 'child', message });
    case 'activity':
      to.clock.activity();
      return to.input({ kind: 'activity' });
    case 'gave_up':
      return to.input({ kind: 'gave_up', reason: message.reason });
    case 'auto_shutdown':
      return to.input({ kind: 'auto_shutdown', reason: message.reason });
    case 'exec':
      return to.emit(`exec.${message.report.event}`, execEventFields(message.report));
    case 'publish':
      return to.publish({ at: message.at, session: to.session, child: message.child, topic: message.topic, data: message.data });
  }
}
