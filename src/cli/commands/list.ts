import type { Argv, CommandModule } from 'yargs';
import { sessionTable } from '../format.js';
import { print, run, type GlobalArgs } from '../run.js';

interface ListArgs extends GlobalArgs {
  all: boolean;
}

export const list: CommandModule<GlobalArgs, ListArgs> = {
  command: 'list',
  aliases: ['ls'],
  describe: 'List sessions not yet terminated (--all: terminated ones too)',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('all', { type: 'boolean', default: false, describe: 'include terminated sessions' })
      .example('$0 list', 'a table: id, status, supervisor pid, children, restarts, uptime, cpu, RSS (summed over its processes)')
      .example('$0 list --all --json', 'every session as a JSON array'),
  handler: (args) =>
    run(args, async (client) => {
      const sessions = await client.listSessions({ all: args.all });
      print(args, sessions, () => sessionTable(sessions));
    }),
};
