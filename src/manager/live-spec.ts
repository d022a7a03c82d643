import { SessiondError } from '../contract/errors.js';
import type { ChildSpec, SessionSpec } from '../contract/spec.js';

// A live session's spec as it changes: pure, so what the store keeps (and a resurrection brings
// back) is always one of these results.

/** The child named `name`, or not_found naming the session's children. */
export function childOf(spec: SessionSpec, name: string): ChildSpec {
  const child = spec.children.find((c) => c.name === name);
  if (!child) throw new SessiondError('not_found', `session ${spec.id} has no child named ${name}; its children are ${spec.children.map((c) => c.name).join(', ')}`);
  return child;
}

/** The spec with `child` last; a name used already is refused (already_exists). */
export function withChild(spec: SessionSpec, child: ChildSpec): SessionSpec {
  if (spec.children.some((c) => c.name === child.name)) throw new SessiondError('already_exists', `session ${spec.id} already has a child named ${child.name}`);
  return { ...spec, children: [...spec.children, child] };
}

/** The spec without the child named `name`, nor its hold. */
export function withoutChild(spec: SessionSpec, name: string): SessionSpec {
  return { ...spec, children: spec.children.filter((c) => c.name !== name), held: (spec.held ?? []).filter((n) => n !== name) };
}

/** The spec with the child named `name` stopped on request (held) or not. */
export function withHold(spec: SessionSpec, name: string, held: boolean): SessionSpec {
  const others = (spec.held ?? []).filter((n) => n !== name);
  return { ...spec, held: held ? [...others, name] : others };
}

/** The spec after a child event of the supervisor: it owns the child list and the holds; the daemon mirrors them. */
export function mirrorChildEvent(spec: SessionSpec, event: string, name: string, added?: ChildSpec): SessionSpec {
  switch (event) {
    case 'added':
      return added && !spec.children.some((c) => c.name === name) ? withChild(spec, added) : spec;
    case 'stopped':
      return withHold(spec, name, true);
    case 'started':
    case 'restarted':
      return (spec.held ?? []).includes(name) ? withHold(spec, name, false) : spec;
    case 'removed':
      return withoutChild(spec, name);
    default:
      return spec;
  }
}
