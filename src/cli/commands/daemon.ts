import type { Argv, CommandModule } from 'yargs';
import { daemonInstall } from './daemon-install.js';
import { daemonRestart } from './daemon-restart.js';
import { daemonStart } from './daemon-start.js';
import { daemonStatus } from './daemon-status.js';
import { daemonStop } from './daemon-stop.js';
import { daemonUninstall } from './daemon-uninstall.js';
import type { GlobalArgs } from '../run.js';

export const daemon: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'daemon <action>',
  describe: 'Start, stop, query or install (systemd) the sessiond daemon',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .command(daemonStart)
      .command(daemonStop)
      .command(daemonStatus)
      .command(daemonRestart)
      .command(daemonInstall)
      .command(daemonUninstall)
      .demandCommand(1, 'give an action: start, stop, restart, status, install or uninstall')
      .example('$0 daemon start', 'start sessiond in the background; prints its pid')
      .example('$0 daemon status --json', '{ "running", "pid", "uptimeMs", "sessions", "spares", "version", "cgroups" }')
      .example('$0 daemon install', 'a systemd user unit that runs sessiond at boot'),
  handler: () => undefined,
};
