import { SessiondError } from '../contract/errors.js';
import type { ExitReason } from '../contract/session.js';
import type { ChildSpec } from '../contract/spec.js';
import type { ChildState } from '../ipc/supervisor-messages.js';
import { ProcessPins, SUPERVISOR } from '../process/pins.js';

/**
 * The children of one session as its supervisor reports them, and the pins (pid + start time)
 * of every process the session has had, for the store. Changed only by the runtime that holds it.
 */
export class SessionChildren {
  private readonly states = new Map<string, ChildState>();
  /** Why sessiond ended a child's last run (memory, hung), by the time of that exit. */
  private readonly reasons = new Map<string, { readonly at: string; readonly reason: ExitReason }>();
  readonly pins = new ProcessPins();

  constructor(specs: readonly ChildSpec[]) {
    for (const child of specs) this.add(child.name);
  }

  /** A child about to start. */
  add(name: string): void {
    this.states.set(name, { name, pid: null, status: 'starting', restarts: 0, lastExit: null, nextRestartAt: null });
  }

  remove(name: string): void {
    this.states.delete(name);
    this.reasons.delete(name);
  }

  /** The state of each child, in the order of `specs`. */
  inOrder(specs: readonly ChildSpec[]): ChildState[] {
    return specs.flatMap((c) => this.states.get(c.name) ?? []);
  }

  has(name: string): boolean {
    return this.states.has(name);
  }

  pid(name: string): number | null {
    return this.states.get(name)?.pid ?? null;
  }

  /** The child as its supervisor reports it; `reason`: why sessiond ended its last run, kept with that lastExit. */
  update(child: ChildState, reason?: ExitReason | null): void {
    const exit = child.lastExit;
    if (reason && exit) this.reasons.set(child.name, { at: exit.at, reason });
    const known = this.reasons.get(child.name);
    const lastExit = exit && known?.at === exit.at ? { ...exit, reason: known.reason } : exit;
    this.states.set(child.name, { ...child, lastExit });
    this.pins.pin(child.name, child.pid);
  }

  pinSupervisor(pid: number): void {
    this.pins.pin(SUPERVISOR, pid);
  }

  /** Pids of the running children: each leads its own process group. */
  groups(): number[] {
    return [...this.states.values()].flatMap((c) => (c.pid === null ? [] : [c.pid]));
  }

  /** Marks every child stopped; returns those that still had a pid (they went without a report). */
  stopAll(): ChildState[] {
    const unreported = [...this.states.values()].filter((c) => c.pid !== null);
    for (const [name, child] of this.states) this.states.set(name, { ...child, pid: null, status: 'stopped', nextRestartAt: null });
    return unreported;
  }

  /** The pid to signal for `kill`: a child's, or (no name) none here. */
  target(session: string, name: string): number | null {
    if (!this.states.has(name)) throw new SessiondError('not_found', `session ${session} has no child named ${name}`);
    return this.pid(name);
  }
}
