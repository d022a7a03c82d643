import type { Argv, CommandModule } from 'yargs';
import { print, run, type GlobalArgs } from '../run.js';

interface IdArgs extends GlobalArgs {
  id: string;
}

export const llmAgent: CommandModule<GlobalArgs, IdArgs> = {
  command: 'llm-agent <id>',
  describe: 'Print the pid of the child named llm_agent (exit 3 when there is none)',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'session id' })
      .example('$0 create --child llm_agent=./agent.js', 'a session with an llm_agent child')
      .example('$0 llm-agent session_…', 'prints its pid'),
  handler: (args) =>
    run(args, async (client) => {
      const found = await client.request('llm-agent', { id: args.id });
      print(args, found, () => String(found.pid));
    }),
};
