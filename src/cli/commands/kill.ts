import { idCommand, type IdArgs } from '../id-command.js';
import { print } from '../run.js';

interface KillArgs extends IdArgs {
  child?: string;
  supervisor?: boolean;
  signal: string;
}

export const kill = idCommand<KillArgs>({
  name: 'kill',
  describe: 'Fault injection: signal the supervisor (default) or one child; prints the pid hit',
  examples: [
    ['$0 kill session_… --child placeholder', 'SIGKILL the placeholder: the supervisor restarts it'],
    ['$0 kill session_… --supervisor --signal SIGTERM', 'signal the supervisor'],
  ],
  options: (yargs) =>
    yargs
      .option('child', { type: 'string', describe: 'the child to signal, by name' })
      .option('supervisor', { type: 'boolean', describe: 'signal the session supervisor (the default)' })
      .option('signal', { type: 'string', default: 'SIGKILL', describe: 'signal name' })
      .conflicts('child', 'supervisor') as never,
  body: async (args, client) => {
    const target = args.child === undefined ? { supervisor: true } : { child: args.child };
    const hit = await client.request('kill', { id: args.id, signal: args.signal, ...target });
    print(args, hit, () => String(hit.pid));
  },
});
