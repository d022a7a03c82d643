import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { SessiondError } from '../contract/errors.js';
import { nodeInfo, type NodeAnnouncement, type NodeInfo } from './node-info.js';
import { bucketKeys } from './bucket-keys.js';
import { NODES_BUCKET, pingSubject } from './subjects.js';

/** The nodes bucket: each node's last announcement, and when the cluster heard it. */
export class NodeDirectory {
  private revision = 0;

  constructor(
    private readonly kv: KV,
    private readonly nc: NatsConnection,
  ) {}

  /** Every node known, as it stands now (`up`, `unreachable`, `stopped`), by name. */
  async list(now = Date.now()): Promise<NodeInfo[]> {
    const names = await bucketKeys(this.nc, NODES_BUCKET);
    const entries = await Promise.all(names.map((name) => this.kv.get(name)));
    return entries
      .filter((e) => e !== null && e.operation === 'PUT')
      .map((e) => nodeInfo(e!.json<NodeAnnouncement>(), e!.created, now))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string, now = Date.now()): Promise<NodeInfo | null> {
    const entry = await this.kv.get(name);
    return entry && entry.operation === 'PUT' ? nodeInfo(entry.json<NodeAnnouncement>(), entry.created, now) : null;
  }

  /**
   * Takes the name for this daemon: refused when a live daemon answers on its ping subject (a
   * daemon that died answers nothing: its restart takes the name back at once), or when another
   * daemon's announcement lands between the read and the write (compare-and-set).
   */
  async claim(first: NodeAnnouncement): Promise<void> {
    const { name } = first;
    const answer = await this.nc.request(pingSubject(name), '', { timeout: 1000 }).then(
      (msg) => msg.json<{ pid: number; instance: string }>(),
      () => null,
    );
    if (answer) throw taken(name, `a live daemon (pid ${answer.pid}) answers as node ${name}`);
    const held = await this.kv.get(name);
    try {
      this.revision = held && held.operation === 'PUT' ? await this.kv.update(name, JSON.stringify(first), held.revision) : await this.kv.create(name, JSON.stringify(first));
    } catch (error) {
      if (error instanceof Error && /wrong last sequence|key exists/i.test(error.message)) throw taken(name, `another daemon took node name ${name} just now`);
      throw error;
    }
  }

  /** Puts this node's announcement; false when another daemon has written under the name since (then this one is no longer the node). */
  async announce(announcement: NodeAnnouncement, retry = true): Promise<boolean> {
    try {
      this.revision = await this.kv.update(announcement.name, JSON.stringify(announcement), this.revision);
      return true;
    } catch (error) {
      if (!retry || !(error instanceof Error && /wrong last sequence/i.test(error.message))) throw error;
      const held = await this.kv.get(announcement.name);
      if (held && held.operation === 'PUT' && held.json<NodeAnnouncement>().instance !== announcement.instance) return false;
      // Our own write whose answer was lost (a reconnect): go on from the revision there.
      this.revision = held?.revision ?? 0;
      return this.announce(announcement, false);
    }
  }
}

function taken(name: string, why: string): SessiondError {
  return new SessiondError('already_exists', `node name ${name} is taken: ${why}; stop that daemon or give this one another --node NAME`);
}
