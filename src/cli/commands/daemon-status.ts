import type { Argv, CommandModule } from 'yargs';
import { statusLine } from '../format.js';
import { EXIT, print, run, type GlobalArgs } from '../run.js';

export const daemonStatus: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'status',
  describe: 'Is sessiond running? Exit 0 if so, 4 if not',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs.example('$0 daemon status', 'pid, uptime, session counts').example('$0 daemon status --json', '{ "running", "pid", "uptimeMs", "sessions" }'),
  handler: (args) =>
    run(
      args,
      async (client) => {
        const status = await client.status();
        print(args, status, () => statusLine(status));
        return status.running ? EXIT.ok : EXIT.notRunning;
      },
      { autoStart: false },
    ),
};
