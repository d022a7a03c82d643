import { SessiondError } from '../contract/errors.js';
import type { ChildState } from '../ipc/supervisor-messages.js';
import type { ChildSlot } from './child-slot.js';
import type { PlanChild } from './plan-restart.js';

/** A supervisor's children, as OTP keeps them: ids in start order, and a record by id. */
export class ChildTable {
  private readonly slots = new Map<string, ChildSlot>();
  private readonly order: string[] = [];

  add(slot: ChildSlot): void {
    this.slots.set(slot.spec.name, slot);
    this.order.push(slot.spec.name);
  }

  remove(slot: ChildSlot): void {
    if (!this.has(slot)) return;
    this.slots.delete(slot.spec.name);
    this.order.splice(this.order.indexOf(slot.spec.name), 1);
    slot.log.close();
  }

  /** Whether `slot` is still this table's child of its name (not removed, not replaced). */
  has(slot: ChildSlot): boolean {
    return this.slots.get(slot.spec.name) === slot;
  }

  hasName(name: string): boolean {
    return this.slots.has(name);
  }

  get(name: string): ChildSlot {
    return this.slots.get(name)!;
  }

  /** The child a request names; an unknown name is the caller's mistake. */
  known(name: string): ChildSlot {
    const slot = this.slots.get(name);
    if (!slot) throw new SessiondError('not_found', `the session has no child named ${name}; its children are ${this.order.join(', ') || 'none'}`);
    return slot;
  }

  /** Every child, in start order. */
  inOrder(): ChildSlot[] {
    return this.order.map((name) => this.get(name));
  }

  states(): ChildState[] {
    return this.inOrder().map((slot) => slot.state());
  }

  facts(): PlanChild[] {
    return this.inOrder().map((slot) => slot.facts());
  }

  /** The children stopped on request. */
  held(): string[] {
    return this.inOrder().flatMap((slot) => (slot.held ? [slot.spec.name] : []));
  }
}
