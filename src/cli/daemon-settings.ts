import type { Argv } from 'yargs';
import { ensureStateDir } from '../daemon/state-dir.js';
import { parseSettings, readSettings, recordSettings, SETTING_NAMES, SETTINGS, settingsFile, settingsOptions, type Settings } from '../daemon/settings.js';
import type { StatePaths } from '../control/paths.js';

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

/**
 * Checks the settings given as flags and records them over the state dir's file, so that a
 * daemon started later by any command (or by systemd) runs with them too. Returns the file's
 * path when something was recorded.
 */
export function recordGivenSettings(args: Readonly<Record<string, unknown>>, paths: StatePaths): string | null {
  const given: Settings = parseSettings(Object.fromEntries(SETTING_NAMES.map((name) => [name, args[name]])));
  if (Object.keys(given).length === 0) return null;
  ensureStateDir(paths.home, paths.logDir);
  settingsOptions({ ...readSettings(paths.home), ...given }); // the whole must make sense before it is written
  recordSettings(paths.home, given);
  return settingsFile(paths.home);
}
