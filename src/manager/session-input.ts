import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { SessiondError } from '../contract/errors.js';
import { newSessionId } from '../contract/ids.js';
import { assertUniqueNames, childSpecInput, DEFAULTS, sessionSpecInput, type ChildSpec, type ParsedChildInput, type ParsedSessionInput, type SessionSpec } from '../contract/spec.js';
import { entryPath } from '../process/entries.js';

/**
 * Turns what a caller asked for, parsed once at its edge (the socket, or the library's
 * createSession), into a complete SessionSpec: an id, the Placeholder when no child is given,
 * paths made absolute and checked. `cwd` is where children run unless their spec says otherwise,
 * and what relative paths resolve against.
 */
export function toSessionSpec(parsed: ParsedSessionInput, cwd = process.cwd(), isolated?: IsolatedPaths): SessionSpec {
  assertUniqueNames(parsed.children);
  const { isolate: _, readOnly: __, network: ___, keepWorkdir: ____, ...session } = parsed;
  const inputs = parsed.children.length ? parsed.children : [childSpecInput.parse({ name: DEFAULTS.placeholderName, file: isolated?.placeholder ?? entryPath('placeholder') })];
  return { ...session, id: parsed.id ?? newSessionId(), children: inputs.map((child) => toChildSpec(child, cwd, isolated?.childCwd)), cwd: isolated?.childCwd ?? resolve(cwd) };
}

/** An isolated session's: where its children run unless told (its work dir), and the Placeholder its user can read. */
export interface IsolatedPaths {
  readonly childCwd?: string | undefined;
  readonly placeholder: string;
}

/** One child made complete: its cwd (default `childCwd`, else `cwd`) and file absolute, both checked to exist. */
export function toChildSpec(child: ParsedChildInput, cwd: string, childCwd = cwd): ChildSpec {
  const withCwd = { ...child, cwd: checkedDir(child.name, resolve(cwd, child.cwd ?? childCwd)) };
  return child.file === undefined ? withCwd : { ...withCwd, file: checkedModule(child.name, resolve(cwd, child.file)) };
}

function checkedDir(name: string, dir: string): string {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new SessiondError('invalid_params', `invalid session spec: child ${name}: cwd ${dir} is not a directory`);
  }
  return dir;
}

function checkedModule(name: string, file: string): string {
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new SessiondError('invalid_params', `invalid session spec: child ${name}: file ${file} does not exist or is not readable`);
  }
  return file;
}

/** Where a session's children run unless they say otherwise; a spec stored before it was kept: where its first child runs. */
export function sessionCwd(spec: SessionSpec): string | undefined {
  return spec.cwd ?? spec.children[0]?.cwd;
}

/** A spec stored by an older sessiond lacks the fields added since: they take their defaults (cwd: the daemon's, as then). */
export function upgradeStoredSpec(spec: SessionSpec): SessionSpec {
  const { children: _, id: __, isolate: ___, readOnly: ____, network: _____, keepWorkdir: ______, ...defaults } = sessionSpecInput.parse({});
  const childDefaults = { cwd: process.cwd(), significant: false, restartDelayMs: 0, backoff: 'none', maxRestartDelayMs: DEFAULTS.maxRestartDelayMs } as const;
  return { ...defaults, ...spec, children: spec.children.map((child) => ({ ...childDefaults, ...child })) };
}
