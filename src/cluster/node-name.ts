import { hostname } from 'node:os';
import { SessiondError } from '../contract/errors.js';
import { NODE_NAME_PATTERN } from './subjects.js';

/** The node name when none is given: the host name, made a subject token. */
export function defaultNodeName(): string {
  return hostname().replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63) || 'node';
}

export function checkNodeName(name: string): string {
  if (!NODE_NAME_PATTERN.test(name)) throw new SessiondError('invalid_params', `--node ${JSON.stringify(name)} is not a node name: letters, digits, _ and -, 63 at most, starting with a letter or digit`);
  return name;
}
