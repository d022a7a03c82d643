import type { Argv, CommandModule } from 'yargs';
import { daemonRestart } from './daemon-restart.js';
import { daemonStart } from './daemon-start.js';
import { daemonStatus } from './daemon-status.js';
import { daemonStop } from './daemon-stop.js';
import type { GlobalArgs } from '../run.js';

export const daemon: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'daemon <action>',
  describe: 'Start, stop or query the sessiond daemon',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .command(daemonStart)
      .command(daemonStop)
      .command(daemonStatus)
      .command(daemonRestart)
      .demandCommand(1, 'give an action: start, stop, restart or status')
      .example('$0 daemon start', 'start sessiond in the background; prints its pid')
      .example('$0 daemon status --json', '{ "running", "pid", "uptimeMs", "sessions" }'),
  handler: () => undefined,
};
