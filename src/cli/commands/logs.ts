import { idCommand, type IdArgs } from '../id-command.js';
import { untilInterrupted } from '../interrupt.js';
import { followOptions } from '../follow-options.js';

interface LogsArgs extends IdArgs {
  child?: string;
  lines: number;
  follow: boolean;
}

export const logs = idCommand<LogsArgs>({
  name: 'logs',
  describe: "A child's captured stdout and stderr (default: the session's first child)",
  examples: [
    ['$0 logs session_…', 'the last 100 lines of the first child'],
    ['$0 logs session_… --child worker --lines 20', 'the last 20 lines of the child named worker'],
    ['$0 logs session_… --follow', 'then keep printing what it prints (Ctrl-C stops)'],
  ],
  options: (yargs) =>
    yargs
      .option('child', { type: 'string', describe: 'the child, by name' })
      .option('lines', { alias: 'n', type: 'number', default: 100, describe: 'how many of the last lines' })
      .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'keep printing new output, across a daemon restart (Ctrl-C stops)' })
      .check((args) => {
        if (!Number.isInteger(args.lines) || args.lines < 0) throw new Error('--lines takes a whole number, 0 or more');
        return true;
      }) as never,
  body: async (args, client) => {
    const options = { ...followOptions(), lines: args.lines, follow: args.follow, ...(args.child === undefined ? {} : { child: args.child }) };
    await untilInterrupted((signal) => client.logs(args.id, options, (text) => process.stdout.write(text), signal));
  },
});
