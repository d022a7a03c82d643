import type { NatsConnection } from '@nats-io/transport-node';

/** How long one read of a bucket's keys may take before the cluster is taken to be unreachable. */
export const KEYS_TIMEOUT_MS = 5000;

interface StreamInfoReply {
  readonly error?: { readonly description?: string };
  readonly total?: number;
  readonly limit?: number;
  readonly state?: { readonly subjects?: Record<string, number> };
}

/**
 * Every key of KV bucket `bucket` that holds a value or a delete marker (a caller reads the
 * entries and drops the deleted), in one JetStream request (stream info with a subjects filter),
 * paged past the server's limit. Not kv.keys(): that opens a consumer which ends only when it
 * has caught up with the stream, or after a 5 s idle heartbeat, and under load with keys being
 * written all the while it was seen to run for a minute; this is a request and its timeout.
 */
export async function bucketKeys(nc: NatsConnection, bucket: string, timeout = KEYS_TIMEOUT_MS): Promise<string[]> {
  const prefix = `$KV.${bucket}.`;
  const keys: string[] = [];
  for (let offset = 0; ; ) {
    const msg = await nc.request(`$JS.API.STREAM.INFO.KV_${bucket}`, JSON.stringify({ subjects_filter: `${prefix}>`, offset }), { timeout });
    const reply = msg.json<StreamInfoReply>();
    if (reply.error) throw new Error(`reading the keys of bucket ${bucket}: ${reply.error.description ?? 'JetStream refused'}`);
    const page = Object.keys(reply.state?.subjects ?? {});
    keys.push(...page.map((subject) => subject.slice(prefix.length)));
    offset += page.length;
    if (!page.length || !reply.total || offset >= reply.total || (reply.limit && page.length < reply.limit)) return keys;
  }
}
