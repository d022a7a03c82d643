import type { Argv, CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { run, print, type GlobalArgs } from '../run.js';

interface CreateArgs extends GlobalArgs {
  id?: string;
  metadata?: string[];
  'llm-config'?: string;
  child?: string[];
  command?: string[];
  spec?: string;
  strategy?: string;
  'max-restarts'?: number;
  'max-seconds'?: number;
}

export const create: CommandModule<GlobalArgs, CreateArgs> = {
  command: 'create',
  describe: 'Start a session; prints its id once every child is ready',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('id', { type: 'string', describe: 'session id (default session_<uuid>)' })
      .option('metadata', { type: 'string', array: true, describe: 'metadata K=V (string value); repeatable' })
      .option('llm-config', { type: 'string', describe: 'LLM config as a JSON object; secrets go to processes over IPC only' })
      .option('child', { type: 'string', array: true, describe: 'a Node module child NAME=FILE; repeatable' })
      .option('command', { type: 'string', array: true, describe: 'an executable child NAME=CMDLINE (split as a shell would, run without one); repeatable' })
      .option('spec', { type: 'string', describe: 'JSON spec file; flags beside it override it' })
      .option('strategy', { type: 'string', choices: ['one_for_one', 'one_for_all', 'rest_for_one'], describe: 'restart strategy' })
      .option('max-restarts', { type: 'number', describe: 'restart intensity: at most N restarts…' })
      .option('max-seconds', { type: 'number', describe: '…within S seconds' })
      .example('$0 create', 'a session running the Placeholder')
      .example('id=$($0 create --metadata task=demo)', 'keep the id in a shell variable')
      .example("$0 create --child agent=./agent.js --command 'web=python3 -m http.server 8080'", 'a Node child and a command child')
      .example('$0 create --spec session.json --id my-session --json', 'from a spec file, printing the session JSON') as unknown as Argv<CreateArgs>,
  handler: (args) =>
    run(args, async (client) => {
      const { buildCreateInput, childFlagsInOrder } = await import('../create-input.js');
      const input = buildCreateInput(
        {
          id: args.id,
          metadata: args.metadata,
          llmConfig: args['llm-config'],
          children: childFlagsInOrder(hideBin(process.argv)),
          spec: args.spec,
          strategy: args.strategy,
          maxRestarts: args['max-restarts'],
          maxSeconds: args['max-seconds'],
        },
        process.cwd(),
      );
      const session = await client.create(input, process.cwd());
      print(args, session, () => session.id);
    }),
};
