import type { Argv, CommandModule } from 'yargs';
import { ensureDaemon } from '../../control/autostart.js';
import { recordGivenSettings, startingWith, withSettingsOptions } from '../daemon-settings.js';
import { print, run, type GlobalArgs } from '../run.js';
import { waitForExit } from '../wait-exit.js';

export const daemonRestart: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'restart',
  describe: 'Stop sessiond and its processes but keep the sessions: the new daemon brings them back (an upgrade, say)',
  builder: (yargs: Argv<GlobalArgs>) =>
    withSettingsOptions(yargs)
      .example('$0 daemon restart', "prints the new daemon's pid once the old one and all its processes are gone")
      .example('$0 daemon restart && $0 list', 'the same sessions, coming back with new pids')
      .example('$0 daemon restart --warm-supervisors 1', 'with a new setting, recorded for every later start'),
  handler: (args) =>
    run(
      args,
      async (client) => {
        const recorded = recordGivenSettings(args, client.paths);
        const old = await client.restart();
        if (old !== null) await waitForExit(old);
        else process.stderr.write('sessiond was not running; starting it\n');
        const { status } = await startingWith(recorded, () => ensureDaemon(client.paths));
        print(args, status, () => String(status.pid));
      },
      { autoStart: false },
    ),
};
