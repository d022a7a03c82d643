import type { Argv, CommandModule } from 'yargs';
import { ensureDaemon } from '../../control/autostart.js';
import { recordGivenSettings, startingWith, withSettingsOptions } from '../daemon-settings.js';
import { print, run, type GlobalArgs } from '../run.js';

export const daemonStart: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'start',
  describe: 'Start sessiond in the background; returns once it accepts requests',
  builder: (yargs: Argv<GlobalArgs>) =>
    withSettingsOptions(yargs)
      .example('$0 daemon start', 'prints its pid')
      .example('$0 daemon start --home /tmp/sd --json', 'prints its status JSON')
      .example('$0 daemon start --warm 2 --metrics 127.0.0.1:9464', 'with settings, kept for every later start'),
  handler: (args) =>
    run(
      args,
      async (client) => {
        const recorded = recordGivenSettings(args, client.paths);
        const { status, started } = await startingWith(recorded, () => ensureDaemon(client.paths));
        if (!started && !args.json) {
          const later = recorded.file ? `; the settings recorded in ${recorded.file} apply from its next start ('sessionctl daemon restart')` : '';
          process.stderr.write(`sessiond is already running (pid ${status.pid})${later}\n`);
        }
        print(args, status, () => String(status.pid));
      },
      { autoStart: false, local: true },
    ),
};
