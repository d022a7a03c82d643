import type { NatsConnection } from '@nats-io/transport-node';
import { SessiondError } from '../contract/errors.js';
import { nodeUnreachable } from './remote-caller.js';
import { heldSubject } from './subjects.js';

/** While a request waits for its node, the node is asked this often whether it holds it; an answer may take CHECK_TIMEOUT_MS. */
export const CHECK_EVERY_MS = 2000;
const CHECK_TIMEOUT_MS = 5000;

/**
 * Watches a request sent to `node` (its reply subject `reply`) until `stop()`: `lost` is called,
 * once, with why, when the node no longer answers (it died, or the cluster is cut) or says twice
 * in a row that it holds no such request (the message was lost on its way, or the node restarted
 * meanwhile: waiting would be for ever). Twice: the final reply may be on its way as a check
 * arrives, and it comes before the answer to the next one.
 */
export function watchHeld(nc: NatsConnection, node: string, reply: string, lost: (error: SessiondError) => void): () => void {
  let timer: NodeJS.Timeout | null = null;
  let misses = 0;
  let stopped = false;
  const check = async (): Promise<void> => {
    let held: boolean;
    try {
      held = (await nc.request(heldSubject(node), reply, { timeout: CHECK_TIMEOUT_MS })).string() === '1';
    } catch {
      if (!stopped) finish(nodeUnreachable(node, 'it stopped answering during the request'));
      return;
    }
    misses = held ? 0 : misses + 1;
    if (misses >= 2) return finish(new SessiondError('cluster_unavailable', `node ${node} does not hold the request: the cluster lost it on its way, or the node restarted; try again`));
    schedule();
  };
  const schedule = () => {
    if (!stopped) timer = setTimeout(() => void check(), CHECK_EVERY_MS);
  };
  const finish = (error: SessiondError) => {
    if (stopped) return;
    stop();
    lost(error);
  };
  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
  schedule();
  return stop;
}
