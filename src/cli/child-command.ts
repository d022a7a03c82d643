import type { Argv, CommandModule } from 'yargs';
import type { SessionInfo } from '../contract/session.js';
import type { SessionClient } from '../control/client.js';
import { print, run, type GlobalArgs } from './run.js';

export interface ChildArgs extends GlobalArgs {
  id: string;
  name: string;
}

/** `child stop|restart|remove ID NAME`: one change to one child, answered by the session as it is after it. */
export function childCommand(definition: {
  readonly name: 'stop' | 'restart' | 'remove';
  readonly describe: string;
  readonly examples: readonly (readonly [string, string])[];
  readonly change: (client: SessionClient, id: string, name: string) => Promise<SessionInfo>;
}): CommandModule<GlobalArgs, ChildArgs> {
  return {
    command: `${definition.name} <id> <name>`,
    describe: definition.describe,
    builder: (yargs: Argv<GlobalArgs>) => {
      let built = yargs
        .positional('id', { type: 'string', demandOption: true, describe: 'session id, or a unique prefix of one (4 characters at least)' })
        .positional('name', { type: 'string', demandOption: true, describe: 'the child, by name' }) as Argv<ChildArgs>;
      for (const [command, description] of definition.examples) built = built.example(command, description);
      return built;
    },
    handler: (args) =>
      run(args, async (client) => {
        const session = await definition.change(client, args.id, args.name);
        const pid = childPid(session, args.name);
        // A stopped or removed child has no pid: nothing to print but with --json.
        if (args.json || pid !== null) print(args, session, () => String(pid));
      }),
  };
}

/** The child's pid in the session JSON, for the commands that print it. */
export function childPid(session: SessionInfo, name: string): number | null {
  return session.children.find((c) => c.name === name)?.pid ?? null;
}
