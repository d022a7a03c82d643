import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { SessiondError } from '../contract/errors.js';
import { newSessionId } from '../contract/ids.js';
import { assertUniqueNames, DEFAULTS, type ParsedSessionInput, type SessionSpec } from '../contract/spec.js';
import { entryPath } from '../process/entries.js';

/**
 * Turns what a caller asked for, parsed once at its edge (the socket, or the library's
 * createSession), into a complete SessionSpec: an id, the Placeholder when no child is given,
 * module paths made absolute and checked to exist.
 */
export function toSessionSpec(parsed: ParsedSessionInput, cwd = process.cwd()): SessionSpec {
  assertUniqueNames(parsed.children);
  const children = parsed.children.length
    ? parsed.children.map((child) => (child.file === undefined ? child : { ...child, file: checkedModule(child.name, resolve(cwd, child.file)) }))
    : [{ name: DEFAULTS.placeholderName, file: entryPath('placeholder'), args: [], env: {}, restart: DEFAULTS.restart, shutdownMs: DEFAULTS.shutdownMs }];
  return { ...parsed, id: parsed.id ?? newSessionId(), children };
}

function checkedModule(name: string, file: string): string {
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new SessiondError('invalid_params', `invalid session spec: child ${name}: file ${file} does not exist or is not readable`);
  }
  return file;
}
