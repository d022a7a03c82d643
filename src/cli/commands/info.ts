import type { Argv, CommandModule } from 'yargs';
import { sessionDetails } from '../format.js';
import { print, run, type GlobalArgs } from '../run.js';

interface IdArgs extends GlobalArgs {
  id: string;
}

export const info: CommandModule<GlobalArgs, IdArgs> = {
  command: 'info <id>',
  describe: 'Show one session',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'session id' })
      .example('$0 info session_…', 'status, pids, children, restarts, stats')
      .example('$0 info session_… --json', 'the session JSON'),
  handler: (args) =>
    run(args, async (client) => {
      const session = await client.getSessionInfo(args.id);
      print(args, session, () => sessionDetails(session));
    }),
};
