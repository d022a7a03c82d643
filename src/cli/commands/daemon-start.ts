import type { Argv, CommandModule } from 'yargs';
import { ensureDaemon } from '../../control/autostart.js';
import { print, run, type GlobalArgs } from '../run.js';

export const daemonStart: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'start',
  describe: 'Start sessiond in the background; returns once it accepts requests',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs.example('$0 daemon start', 'prints its pid').example('$0 daemon start --home /tmp/sd --json', 'prints its status JSON'),
  handler: (args) =>
    run(
      args,
      async (client) => {
        const { status, started } = await ensureDaemon(client.paths);
        if (!started && !args.json) process.stderr.write(`sessiond is already running (pid ${status.pid})\n`);
        print(args, status, () => String(status.pid));
      },
      { autoStart: false },
    ),
};
