import { noChild } from '../contract/errors.js';
import type { ChildSpec, SessionSpec } from '../contract/spec.js';
import type { SupervisorRequest } from '../ipc/supervisor-messages.js';
import { childOf, withChild } from './live-spec.js';
import { supervisorGraceMs } from './stop-session.js';

/** A request for the supervisor, checked against the session's spec: its deadline, and what its timeout says. */
export interface ChildRequest {
  readonly request: SupervisorRequest;
  readonly timeoutMs: number;
  readonly late: string;
  /** A child asked for: the spec mirror waits for its report (spec-mirror.ts). */
  readonly adding?: ChildSpec;
}

// The child requests of a client, pure: a name the spec lacks is refused (not_found), a name in use for an add (already_exists).

/** Starts one more child after the others; answered once it is ready. */
export function addChild(spec: SessionSpec, child: ChildSpec, startTimeoutMs: number): ChildRequest {
  withChild(spec, child); // refuses a name in use
  return { ...toSupervisor(spec, { op: 'add_child', spec: child }, startTimeoutMs + 1000), adding: child };
}

/** Stops a child as a terminate would; it keeps its spec and is not restarted until asked. */
export function stopChild(spec: SessionSpec, name: string): ChildRequest {
  childOf(spec, name);
  return toSupervisor(spec, { op: 'stop_child', name }, supervisorGraceMs(spec));
}

/** Starts a stopped child, or stops and starts a running one; no crash, no intensity. */
export function restartChild(spec: SessionSpec, name: string, startTimeoutMs: number): ChildRequest {
  childOf(spec, name);
  return toSupervisor(spec, { op: 'restart_child', name }, supervisorGraceMs(spec) + startTimeoutMs);
}

/** Forgets a stopped child (a running one is refused by the supervisor: `running`). */
export function removeChild(spec: SessionSpec, name: string): ChildRequest {
  childOf(spec, name);
  return toSupervisor(spec, { op: 'remove_child', name }, 5000);
}

/** Restarts every child in start order, as a one_for_all restart would, counting toward no intensity. */
export function restartAll(spec: SessionSpec, startTimeoutMs: number): ChildRequest {
  return toSupervisor(spec, { op: 'restart_all' }, supervisorGraceMs(spec) + startTimeoutMs);
}

/** Delivers `body` to a Node child's onMessage handler; answered with its reply. */
// Without a name, the supervisor picks the first child that has an onMessage handler.
export function sendTo(spec: SessionSpec, name: string | undefined, body: unknown, timeoutMs: number): ChildRequest {
  if (name !== undefined) childOf(spec, name);
  else if (spec.children.length === 0) throw noChild(spec.id, 'send');
  const who = name === undefined ? 'the child that answers sends' : `child ${name}`;
  const request: SupervisorRequest = { op: 'call', ...(name === undefined ? {} : { child: name }), body, timeoutMs };
  return { request, timeoutMs, late: `${who} of session ${spec.id} did not reply within ${timeoutMs} ms` };
}

function toSupervisor(spec: SessionSpec, request: SupervisorRequest, timeoutMs: number): ChildRequest {
  return { request, timeoutMs, late: `the supervisor of session ${spec.id} did not answer ${request.op} within ${timeoutMs} ms` };
}
