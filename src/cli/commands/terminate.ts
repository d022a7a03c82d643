import type { Argv, CommandModule } from 'yargs';
import { run, type GlobalArgs } from '../run.js';

interface IdArgs extends GlobalArgs {
  id: string;
}

export const terminate: CommandModule<GlobalArgs, IdArgs> = {
  command: 'terminate <id>',
  describe: 'Stop a session (SIGTERM, SIGKILL after 5 s); returns once every process of it is gone',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'session id' })
      .example('$0 terminate session_…', 'prints nothing; exit 3 if there is no such session')
      .example('$0 terminate session_… --json', 'prints the terminated session JSON'),
  handler: (args) =>
    run(args, async (client) => {
      const session = await client.request('terminate', { id: args.id });
      if (args.json) process.stdout.write(`${JSON.stringify(session, null, 2)}\n`);
    }),
};
