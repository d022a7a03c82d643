import type { Argv, CommandModule } from 'yargs';
import type { SessionClient } from '../control/client.js';
import { run, type GlobalArgs } from './run.js';

export interface IdArgs extends GlobalArgs {
  id: string;
}

/** The shape shared by commands that take one session id: `NAME <id>`, examples, a body run against the daemon. */
export function idCommand<A extends IdArgs = IdArgs>(definition: {
  readonly name: string;
  readonly describe: string;
  readonly examples: readonly (readonly [string, string])[];
  readonly options?: (yargs: Argv<IdArgs>) => Argv<A>;
  readonly autoStart?: boolean;
  readonly body: (args: A, client: SessionClient) => Promise<number | void>;
}): CommandModule<GlobalArgs, A> {
  return {
    command: `${definition.name} <id>`,
    describe: definition.describe,
    builder: (yargs: Argv<GlobalArgs>) => {
      let built = yargs.positional('id', { type: 'string', demandOption: true, describe: 'session id, or a unique prefix of one (4 characters at least)' }) as Argv<IdArgs>;
      for (const [command, description] of definition.examples) built = built.example(command, description);
      return (definition.options?.(built) ?? built) as Argv<A>;
    },
    handler: (args) => run(args, (client) => definition.body(args as unknown as A, client), { autoStart: definition.autoStart ?? true }),
  };
}
