#!/usr/bin/env node
// sessiond: the daemon, in the foreground. `sessionctl daemon start` runs it detached.
import { parseArgs } from 'node:util';
import { errorMessage, SessiondError } from '../src/contract/errors.js';
import { EXIT_ALREADY_RUNNING } from '../src/contract/paths.js';
import { resolveStateDir } from '../src/contract/state-dir.js';
import { packageVersion } from '../src/contract/version.js';
import { startDaemon, type DaemonOptions } from '../src/daemon/daemon.js';
import { stdoutIsJournal } from '../src/daemon/logger.js';
import { parseSettings, readSettings, SETTING_NAMES, SETTINGS, settingsHelp, settingsOptions } from '../src/daemon/settings.js';

const USAGE = `Usage: sessiond [--home DIR] [--log-stdout] [--systemd] [settings]

Runs the sessiond daemon in the foreground on a state dir (default: $SESSIOND_HOME,
else $XDG_STATE_HOME/sessiond, else ~/.local/state/sessiond). It brings back the
sessions the last daemon left active or idle. SIGTERM or SIGINT terminates every
session, then exits 0. Most people use 'sessionctl daemon start', or the systemd
unit of 'sessionctl daemon install'.

Settings come from <state dir>/sessiond.json (the flags below as keys, e.g.
{"warm": 2}; 'sessionctl daemon start --FLAG' records them there);
a flag given here overrides the file.

${settingsHelp()}

  --log-stdout               log to stdout too (on by itself when stdout is the systemd journal)
  --systemd                  run by a systemd unit (what 'sessionctl daemon install' writes): logs to
                             stdout, and exits 76 on 'daemon restart' for the unit to start it again
  --version                  print the version
  -h, --help                 print this help`;

let options: DaemonOptions;
try {
  const { values } = parseArgs({
    options: {
      home: { type: 'string' },
      'log-stdout': { type: 'boolean' },
      systemd: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
      ...Object.fromEntries(SETTING_NAMES.map((name) => [name, { type: SETTINGS[name].kind === 'flag' ? 'boolean' : 'string' }] as const)),
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.version) {
    console.log(packageVersion());
    process.exit(0);
  }
  const { home, 'log-stdout': logStdout, systemd, help: _help, version: _version, ...flags } = values;
  const settings = { ...readSettings(resolveStateDir(home)), ...parseSettings(flags) };
  options = { home, logStdout: logStdout === true || systemd === true || stdoutIsJournal(), systemd: systemd === true, ...settingsOptions(settings) };
} catch (error) {
  console.error(`sessiond: ${errorMessage(error)}\nRun 'sessiond --help' for usage.`);
  process.exit(2);
}

try {
  const daemon = await startDaemon(options);
  console.log(`sessiond ${daemon.pid} listening on ${daemon.socket}${daemon.metrics ? `, metrics at ${daemon.metrics}` : ''}`);
} catch (error) {
  console.error(`sessiond: ${errorMessage(error)}`);
  process.exit(error instanceof SessiondError && error.code === 'already_exists' ? EXIT_ALREADY_RUNNING : 1);
}
