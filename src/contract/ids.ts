import { randomUUID } from 'node:crypto';

/** Session ids name files (logs, sockets), so they are restricted to a safe alphabet. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Child names name log files too. */
export const CHILD_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const REGISTRY_PREFIX = 'session_supervisor:';

export function newSessionId(): string {
  return `session_${randomUUID()}`;
}

export function registryKey(id: string): string {
  return `${REGISTRY_PREFIX}${id}`;
}

export function isValidSessionId(id: unknown): id is string {
  return typeof id === 'string' && SESSION_ID_PATTERN.test(id);
}
