import type { Argv, CommandModule } from 'yargs';
import { print, run, type GlobalArgs } from '../run.js';

interface KillArgs extends GlobalArgs {
  id: string;
  child?: string;
  supervisor?: boolean;
  signal: string;
}

export const kill: CommandModule<GlobalArgs, KillArgs> = {
  command: 'kill <id>',
  describe: 'Fault injection: signal the supervisor (default) or one child; prints the pid hit',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'session id' })
      .option('child', { type: 'string', describe: 'the child to signal, by name' })
      .option('supervisor', { type: 'boolean', describe: 'signal the session supervisor (the default)' })
      .option('signal', { type: 'string', default: 'SIGKILL', describe: 'signal name' })
      .conflicts('child', 'supervisor')
      .example('$0 kill session_… --child placeholder', 'SIGKILL the placeholder: the supervisor restarts it')
      .example('$0 kill session_… --supervisor --signal SIGTERM', 'signal the supervisor'),
  handler: (args) =>
    run(args, async (client) => {
      const target = args.child === undefined ? { supervisor: true } : { child: args.child };
      const hit = await client.request('kill', { id: args.id, signal: args.signal, ...target });
      print(args, hit, () => String(hit.pid));
    }),
};
