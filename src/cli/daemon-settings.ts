import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { ensureStateDir } from '../daemon/state-dir.js';
import { parseSettings, readSettings, recordSettings, SETTING_NAMES, SETTINGS, settingsFile, settingsOptions, type Settings } from '../daemon/settings.js';
import type { StatePaths } from '../contract/paths.js';

const GROUP = 'Daemon settings (recorded in <state dir>/sessiond.json for every later start):';

/** `daemon start` and `daemon restart` take sessiond's own flags, declared once in daemon/settings.ts. */
export function withSettingsOptions<T>(yargs: Argv<T>): Argv<T> {
  let built = yargs;
  for (const name of SETTING_NAMES) {
    const { kind, describe } = SETTINGS[name];
    built = built.option(name, { type: kind === 'flag' ? 'boolean' : 'string', describe, group: GROUP });
  }
  return built;
}

/** What recordGivenSettings did: the file it wrote (null: no setting was given), and how to take it back. */
export interface Recorded {
  readonly file: string | null;
  readonly undo: () => void;
}

/**
 * Checks the settings given as flags and records them over the state dir's file, so that a
 * daemon started later by any command (or by systemd) runs with them too. A start that then
 * fails with them calls `undo`: settings that cannot start a daemon are not kept.
 */
export function recordGivenSettings(args: Readonly<Record<string, unknown>>, paths: StatePaths): Recorded {
  const given: Settings = parseSettings(Object.fromEntries(SETTING_NAMES.map((name) => [name, args[name]])));
  if (Object.keys(given).length === 0) return { file: null, undo: () => undefined };
  ensureStateDir(paths.home, paths.logDir);
  const file = settingsFile(paths.home);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
  settingsOptions({ ...readSettings(paths.home), ...given }); // the whole must make sense before it is written
  recordSettings(paths.home, given);
  return { file, undo: () => (before === null ? rmSync(file, { force: true }) : writeFileSync(file, before, { mode: 0o600 })) };
}

/** Runs a daemon start with freshly recorded settings, taking them back if it fails. */
export async function startingWith<T>(recorded: Recorded, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    recorded.undo();
    if (recorded.file) process.stderr.write(`the settings given were not recorded in ${recorded.file}\n`);
    throw error;
  }
}
