import type { Argv, CommandModule } from 'yargs';
import { run, type GlobalArgs } from '../run.js';
import { waitForExit } from '../wait-exit.js';

export const daemonStop: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'stop',
  describe: 'Terminate every session, then stop sessiond; returns once its process is gone',
  builder: (yargs: Argv<GlobalArgs>) => yargs.example('$0 daemon stop', 'not running: says so, exit 0'),
  handler: (args) =>
    run(
      args,
      async (client) => {
        const pid = await client.stop();
        if (pid === null) {
          process.stderr.write('sessiond is not running\n');
          return;
        }
        await waitForExit(pid);
      },
      { autoStart: false, local: true },
    ),
};
