import type { KV, KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { SessiondError } from '../contract/errors.js';
import type { SessionInfo } from '../contract/session.js';
import { bucketKeys } from './bucket-keys.js';
import { SESSIONS_BUCKET, sessionIdOfKey, sessionKey } from './subjects.js';

/** The catalog's value for one session: the node that holds it and the session as last recorded there. */
export interface CatalogEntry {
  readonly node: string;
  /** Null between the claim of the id and the session's first record. */
  readonly session: SessionInfo | null;
}

export interface CatalogRecord extends CatalogEntry {
  readonly id: string;
  readonly revision: number;
}

/** A JetStream KV precondition failed (kv.create on a key that exists, kv.update at a stale revision). */
function isWrongRevision(error: unknown): boolean {
  return error instanceof Error && /wrong last sequence|key exists/i.test(error.message);
}

/**
 * Session id → node, in the KV bucket SESSIONS_BUCKET. An id is claimed with kv.create (or, over
 * a terminated session's entry, kv.update at the revision read): two nodes never both win one id,
 * whatever the timing. Only the holding node writes an entry after its claim.
 */
export class Catalog {
  constructor(
    private readonly kv: KV,
    private readonly nc: NatsConnection,
  ) {}

  async get(id: string): Promise<CatalogRecord | null> {
    return record(await this.kv.get(sessionKey(id)));
  }

  /** Takes `id` for `node`; already_exists when a session not terminated has it elsewhere. Taking it again on the same node is no change. */
  async claim(id: string, node: string): Promise<void> {
    const value = JSON.stringify({ node, session: null } satisfies CatalogEntry);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.kv.create(sessionKey(id), value);
        return;
      } catch (error) {
        if (!isWrongRevision(error)) throw error;
      }
      const held = await this.get(id);
      if (!held) continue; // deleted in between: create again
      if (held.node === node) return;
      if (held.session?.status !== 'terminated') throw new SessiondError('already_exists', `session id ${id} is in use on node ${held.node}; give another --id`);
      try {
        await this.kv.update(sessionKey(id), value, held.revision);
        return;
      } catch (error) {
        if (!isWrongRevision(error)) throw error;
      }
    }
    throw new SessiondError('already_exists', `session id ${id} is being taken by another create; give another --id`);
  }

  /** Records the session as `node` holds it now. */
  async record(node: string, session: SessionInfo): Promise<void> {
    await this.kv.put(sessionKey(session.id), JSON.stringify({ node, session } satisfies CatalogEntry));
  }

  async remove(id: string): Promise<void> {
    await this.kv.delete(sessionKey(id));
  }

  /** Removes `id`'s entry if `node` still holds it (a pruned session): compare-and-delete, so a new holder's entry stays. */
  async forget(id: string, node: string): Promise<void> {
    const held = await this.get(id);
    if (held?.node !== node) return;
    try {
      await this.kv.delete(sessionKey(id), { previousSeq: held.revision });
    } catch (error) {
      if (!isWrongRevision(error)) throw error;
    }
  }

  /** The ids of the entries `match` picks (an id prefix's candidates), each read: a deleted entry's key stays in the bucket. */
  async ids(match: (id: string) => boolean): Promise<string[]> {
    return (await this.records(match)).map((r) => r.id);
  }

  /** Every entry: for the sessions of nodes that cannot answer, and a node's reconciliation. */
  all(): Promise<CatalogRecord[]> {
    return this.records(() => true);
  }

  private async records(match: (id: string) => boolean): Promise<CatalogRecord[]> {
    const ids = (await bucketKeys(this.nc, SESSIONS_BUCKET)).map(sessionIdOfKey).filter(match);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((r): r is CatalogRecord => r !== null);
  }
}

function record(entry: KvEntry | null): CatalogRecord | null {
  if (!entry || entry.operation !== 'PUT') return null;
  return { id: sessionIdOfKey(entry.key), revision: entry.revision, ...entry.json<CatalogEntry>() };
}
