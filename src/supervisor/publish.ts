import type { FromSupervisor } from '../ipc/supervisor-messages.js';

/** A message body, sent or published, is at most this big (its JSON). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * What a child published, as the daemon gets it; null for what is dropped: a topic that is no
 * short string, or a body past 1 MiB. The body itself is never logged.
 */
export function publishable(child: string, topic: unknown, data: unknown): Extract<FromSupervisor, { type: 'publish' }> | null {
  if (typeof topic !== 'string' || topic.length === 0 || topic.length > 256) {
    process.stderr.write(`session-supervisor: child ${child} published with a topic that is not a string of 1 to 256 characters: dropped\n`);
    return null;
  }
  const size = Buffer.byteLength(JSON.stringify(data ?? null));
  if (size > MAX_MESSAGE_BYTES) {
    process.stderr.write(`session-supervisor: child ${child} published ${size} bytes on ${topic}, over the 1 MiB limit: dropped\n`);
    return null;
  }
  return { type: 'publish', child, topic, data: data ?? null, at: new Date().toISOString() };
}
