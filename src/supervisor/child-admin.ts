import { SessiondError } from '../contract/errors.js';
import type { ChildSpec } from '../contract/spec.js';
import type { AdminResult, SupervisorRequest } from '../ipc/supervisor-messages.js';
import type { Spawned } from '../process/spawn-child.js';
import type { ChildSlot } from './child-slot.js';
import type { ChildTable } from './child-table.js';
import { startFailureText } from './start-failure.js';

type AdminRequest = Exclude<SupervisorRequest, { op: 'call' }>;
type AdminEvent = 'started' | 'added' | 'stopped' | 'removed' | 'restarted';

/** What the administration of children needs of its supervisor. */
export interface AdminHost {
  readonly children: ChildTable;
  newSlot(spec: ChildSpec): ChildSlot;
  /** SIGTERM, then SIGKILL after graceMs (default: its shutdownMs); its exit reported. */
  stopChild(slot: ChildSlot, graceMs?: number): Promise<void>;
  running(): boolean;
  stopping(): boolean;
  reportChild(slot: ChildSlot, event: AdminEvent, spec?: ChildSpec): void;
}

/**
 * What is done to the children as a whole (start, stop) and the daemon's requests on them (add,
 * stop, restart, remove, restart all). The supervisor owns the child list: every answer to a
 * request is the list as it now stands, which the daemon mirrors.
 */
export class ChildAdmin {
  constructor(private readonly host: AdminHost) {}

  /** Starts every child in order but those stopped on request; null once all are ready, else why one is not. */
  async startAll(deadline: number, prespawned?: Spawned): Promise<string | null> {
    for (const [i, slot] of this.host.children.inOrder().entries()) {
      if (slot.held) continue;
      const failure = await slot.start(deadline, i === 0 ? prespawned : undefined);
      if (this.host.stopping()) return null;
      if (failure) return startFailure(slot, failure);
      this.host.reportChild(slot, 'started');
    }
    return null;
  }

  /**
   * Stops every child in reverse start order under one deadline: each gets SIGTERM in turn, and
   * none waits past the longest shutdownMs from now, so a stop of several stubborn children is no longer.
   */
  async stopAll(): Promise<void> {
    const slots = this.host.children.inOrder().reverse();
    const deadline = Date.now() + Math.max(0, ...slots.map((s) => s.spec.shutdownMs));
    for (const slot of slots) await this.host.stopChild(slot, Math.min(slot.spec.shutdownMs, Math.max(0, deadline - Date.now())));
    for (const slot of slots) slot.log.close();
  }

  async run(request: AdminRequest): Promise<AdminResult> {
    const { children } = this.host;
    switch (request.op) {
      case 'add_child':
        await this.add(request.spec);
        break;
      case 'stop_child': {
        const slot = children.known(request.name);
        slot.hold();
        await this.host.stopChild(slot);
        this.host.reportChild(slot, 'stopped');
        break;
      }
      case 'restart_child': {
        const slot = children.known(request.name);
        slot.release();
        await this.restartGroup([slot]);
        break;
      }
      case 'remove_child': {
        const slot = children.known(request.name);
        if (slot.pid !== null || slot.status !== 'stopped') {
          throw new SessiondError('running', `child ${slot.spec.name} is ${slot.status}: stop it before removing it`);
        }
        children.remove(slot);
        this.host.reportChild(slot, 'removed');
        break;
      }
      case 'restart_all':
        // As a one_for_all restart, asked for: every child but those stopped on request, no intensity.
        await this.restartGroup(children.inOrder().filter((slot) => !slot.held));
        break;
    }
    return { children: children.states(), held: children.held() };
  }

  // The spec travels with `added`: a daemon whose request timed out meanwhile still learns the child.
  private async add(spec: ChildSpec): Promise<void> {
    const { children } = this.host;
    if (children.hasName(spec.name)) throw new SessiondError('already_exists', `the session already has a child named ${spec.name}`);
    const slot = this.host.newSlot(spec);
    children.add(slot);
    const failure = await slot.start();
    if (failure) {
      children.remove(slot);
      throw new SessiondError('start_failed', startFailure(slot, failure));
    }
    this.host.reportChild(slot, 'added', spec);
  }

  // Stopped in reverse order, then started in order, as a group restart; a child that fails to
  // start is reported as exited and handled as any crash.
  private async restartGroup(group: readonly ChildSlot[]): Promise<void> {
    for (const slot of [...group].reverse()) await this.host.stopChild(slot);
    for (const slot of group) {
      if (!this.host.running()) return;
      if ((await slot.start()) === null) this.host.reportChild(slot, 'restarted');
    }
  }
}

/** A `send` to a Node child: not queued, many may be in flight, each dropped at its deadline. */
export async function callChild(children: ChildTable, request: Extract<SupervisorRequest, { op: 'call' }>): Promise<unknown> {
  const slot = request.child === undefined ? servingSlot(children) : children.known(request.child);
  const name = slot.spec.name;
  if (slot.spec.file === undefined) throw new SessiondError('not_supported', `child ${name} is a command: it has no IPC channel to send to`);
  if (slot.pid === null || slot.status !== 'running') throw new SessiondError('not_running', `child ${name} is not running (it is ${slot.status})`);
  return slot.call(request.body, request.timeoutMs);
}

// Without a name, a send goes to the first child (in start order) that has an onMessage handler.
function servingSlot(children: ChildTable): ChildSlot {
  const slots = children.inOrder();
  const slot = slots.find((s) => s.servesMessages);
  if (slot) return slot;
  if (slots.length === 0) throw new SessiondError('not_supported', 'the session has no child to send to: add one (child add) first');
  const names = slots.map((s) => s.spec.name).join(', ');
  throw new SessiondError('not_supported', `no child of the session has an onMessage handler (its children are ${names}); give the child to send to (--child NAME)`);
}

function startFailure(slot: ChildSlot, failure: string): string {
  return startFailureText(slot.spec.name, failure, slot.log.tail(Infinity));
}
