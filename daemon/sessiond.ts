#!/usr/bin/env node
// sessiond: the daemon, in the foreground. `sessionctl daemon start` runs it detached.
import { parseArgs } from 'node:util';
import { errorMessage } from '../src/contract/errors.js';
import { startDaemon } from '../src/daemon/daemon.js';

const USAGE = `Usage: sessiond [--home DIR]

Runs the sessiond daemon in the foreground on a state dir (default: $SESSIOND_HOME,
else $XDG_STATE_HOME/sessiond, else ~/.local/state/sessiond). SIGTERM or SIGINT
terminates every session, then exits 0. Most people use 'sessionctl daemon start'.`;

let home: string | undefined;
try {
  const { values } = parseArgs({ options: { home: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  home = values.home;
} catch (error) {
  console.error(`sessiond: ${errorMessage(error)}\n\n${USAGE}`);
  process.exit(2);
}

try {
  const daemon = await startDaemon({ home });
  console.log(`sessiond ${daemon.pid} listening on ${daemon.socket}`);
} catch (error) {
  console.error(`sessiond: ${errorMessage(error)}`);
  process.exit(1);
}
