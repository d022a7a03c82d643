import type { Logger } from 'pino';
import { errorMessage, SessiondError } from '../contract/errors.js';
import type { Journal } from '../daemon/journal.js';
import { storedSessionInfo } from '../manager/session-view.js';
import type { Store } from '../store/index.js';
import type { Catalog } from './catalog.js';

/**
 * Keeps the catalog's record of this node's sessions: each event marks its session, and the
 * latest record of every marked session is written, one write at a time (a late write never
 * undoes a newer one). Writes that fail (NATS away) stay marked for the next flush.
 */
export class CatalogSync {
  private readonly dirty = new Set<string>();
  /** Sessions whose id the catalog gave to another node while this one was away: never written. */
  private readonly orphans = new Set<string>();
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly catalog: Catalog,
    private readonly node: string,
    private readonly store: Store,
    journal: Journal,
    private readonly log: Logger,
    private readonly connected: () => boolean,
  ) {
    journal.subscribe((event) => {
      this.dirty.add(event.session);
      void this.flush();
    });
  }

  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const flushing = this.writeDirty().finally(() => {
      if (this.flushing === flushing) this.flushing = null;
    });
    // Set before it can settle: an empty flush settles on a later turn, never before this line.
    this.flushing = flushing;
    return flushing;
  }

  private async writeDirty(): Promise<void> {
    await Promise.resolve();
    const failed: string[] = [];
    try {
      while (this.dirty.size && this.connected()) {
        const ids = [...this.dirty];
        this.dirty.clear();
        const written = await Promise.all(ids.map((id) => this.write(id)));
        failed.push(...ids.filter((_, i) => !written[i]));
      }
    } finally {
      for (const id of failed) this.dirty.add(id);
    }
  }

  /**
   * After a (re)join: every live session of this node is claimed again. One whose id the catalog
   * gave to another node meanwhile (possible only while this node was cut off from the cluster)
   * is an orphan and is terminated here, as E2B's orchestrator kills sandboxes its catalog does
   * not give to the node: one id, one session, cluster-wide. Entries naming this node for
   * sessions it no longer holds are set right (its record) or removed (none: pruned).
   */
  async reconcile(terminate: (id: string) => Promise<unknown>): Promise<void> {
    const live = this.store.sessions.list({ all: false });
    for (const { id } of live) {
      try {
        await this.catalog.claim(id, this.node);
        this.dirty.add(id);
      } catch (error) {
        if (!(error instanceof SessiondError && error.code === 'already_exists')) throw error;
        this.orphans.add(id);
        this.log.warn({ id }, `${error.message.split(';')[0]} while this node was away from the cluster: terminating the copy here`);
        await terminate(id).catch((e: unknown) => this.log.error({ err: e, id }, `terminating orphan ${id} failed: ${errorMessage(e)}`));
      }
    }
    const liveIds = new Set(live.map((r) => r.id));
    for (const entry of await this.catalog.all()) {
      if (entry.node !== this.node || liveIds.has(entry.id)) continue;
      // Pruned from the store (or a lost state dir): the catalog forgets it too.
      if (!this.store.sessions.get(entry.id)) await this.catalog.forget(entry.id, this.node).catch(() => undefined);
      else if (entry.session?.status !== 'terminated') this.dirty.add(entry.id);
    }
    await this.flush();
  }

  // False when the write failed: the session stays marked for the next flush.
  private async write(id: string): Promise<boolean> {
    const record = this.orphans.has(id) ? null : this.store.sessions.get(id);
    if (!record) return true;
    try {
      await this.catalog.record(this.node, storedSessionInfo(record));
      return true;
    } catch (error) {
      this.log.warn({ err: error, id }, `catalog write failed: ${errorMessage(error)}`);
      return false;
    }
  }
}
