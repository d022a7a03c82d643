import type { Argv, CommandModule } from 'yargs';
import { print, run, type GlobalArgs } from '../run.js';

interface IdArgs extends GlobalArgs {
  id: string;
}

export const registryKeyCommand: CommandModule<GlobalArgs, IdArgs> = {
  command: 'registry-key <id>',
  describe: "Print the registry key of a session's supervisor (no daemon needed)",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'session id' })
      .example('$0 registry-key my-session', 'prints session_supervisor:my-session'),
  handler: (args) =>
    run(
      args,
      async (client) => {
        const key = client.registryKey(args.id);
        print(args, { id: args.id, registryKey: key }, () => key);
      },
      { autoStart: false },
    ),
};
