import type { Argv, CommandModule } from 'yargs';
import { print, run, type GlobalArgs } from '../run.js';

interface IdArgs extends GlobalArgs {
  id: string;
}

export const find: CommandModule<GlobalArgs, IdArgs> = {
  command: 'find <id>',
  describe: "Print the pid of a session's supervisor (exit 3 when there is none)",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'session id' })
      .example('$0 find session_…', 'prints e.g. 4242')
      .example('$0 find session_… --json', '{ "id": …, "pid": 4242 }'),
  handler: (args) =>
    run(args, async (client) => {
      const found = await client.request('find', { id: args.id });
      print(args, found, () => String(found.pid));
    }),
};
