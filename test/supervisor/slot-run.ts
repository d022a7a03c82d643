import type { ExitInfo } from '../../src/contract/session.js';
import type { ChildSpecInput } from '../../src/contract/spec.js';
import { ChildSlot } from '../../src/supervisor/child-slot.js';
import { waitFor } from '../helpers/proc.js';
import { childSpec, uniqueId } from './harness.js';

/** A ChildSlot on its own, with real processes: records what its hooks are told. */
export class SlotRun {
  readonly session = uniqueId('slot');
  readonly slot: ChildSlot;
  readonly exits: ExitInfo[] = [];
  readonly seen = new Set<number>();
  hung = 0;
  activity = 0;
  /** Called in onExit, before anything else happens. */
  onExit: () => void = () => undefined;

  constructor(spec: ChildSpecInput, options: { heartbeatMs?: number; startTimeoutMs?: number } = {}) {
    const init = { session: this.session, metadata: {}, llmConfig: {}, heartbeatMs: options.heartbeatMs ?? 250 };
    this.slot = new ChildSlot(
      childSpec(spec),
      { init, startTimeoutMs: options.startTimeoutMs ?? 10_000, missedHeartbeats: 3, logPath: null },
      {
        onExit: (_slot, exit) => {
          this.onExit();
          this.exits.push(exit);
        },
        onHung: () => void this.hung++,
        onActivity: () => void this.activity++,
        onSpawned: (slot) => void this.seen.add(slot.pid!),
        onPublish: () => undefined,
      },
    );
  }

  waitExit(): Promise<ExitInfo> {
    return waitFor(() => this.exits[0], 'onExit');
  }
}
