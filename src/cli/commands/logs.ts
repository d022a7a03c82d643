import { idCommand, type IdArgs } from '../id-command.js';
import { untilInterrupted } from '../interrupt.js';
import { followOptions } from '../follow-options.js';
import { jsonPrinter, textPrinter } from '../log-printer.js';
import { printEntries } from '../log-streams.js';
import { noChild } from '../../contract/errors.js';

interface LogsArgs extends IdArgs {
  child?: string;
  all?: boolean;
  lines: number;
  follow: boolean;
  timestamps: boolean;
}

export const logs = idCommand<LogsArgs>({
  name: 'logs',
  describe: "A child's captured stdout and stderr (default: the session's first child), exactly as it printed them",
  examples: [
    ['$0 logs session_…', 'the last 100 lines of the first child'],
    ['$0 logs session_… --child worker --lines 20', 'the last 20 lines of the child named worker'],
    ['$0 logs session_… --follow', 'then keep printing what it prints (Ctrl-C stops)'],
    ['$0 logs session_… --all --follow', 'every child, each line as "NAME | …"'],
    ['$0 logs session_… --timestamps', 'each line after the time sessiond captured it (ISO 8601, UTC)'],
    ['$0 logs session_… --json | jq -r .line', 'one JSON object a line: { "session", "child", "stream", "at", "line" }'],
  ],
  options: (yargs) =>
    yargs
      .option('child', { type: 'string', describe: 'the child, by name' })
      .option('all', { alias: 'a', type: 'boolean', describe: 'every child of the session, each line prefixed "NAME | " (with --timestamps: out or err after the time)' })
      .option('lines', { alias: 'n', type: 'number', default: 100, describe: 'how many of the last lines (with --all: of them all)' })
      .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'keep printing new output, across a daemon restart (Ctrl-C stops)' })
      .option('timestamps', { alias: 't', type: 'boolean', default: false, describe: 'each line with the time sessiond captured it' })
      .conflicts('all', 'child')
      .check((args) => {
        if (!Number.isInteger(args.lines) || args.lines < 0) throw new Error('--lines takes a whole number, 0 or more');
        return true;
      }) as never,
  body: async (args, client) => {
    const options = { ...followOptions(), lines: args.lines, follow: args.follow };
    const write = (text: string) => void process.stdout.write(text);
    // What the child printed, byte for byte: the daemon sends it as text.
    const all = args.all === true;
    if (!all && !args.timestamps && !args.json) {
      await untilInterrupted((signal) => client.logs(args.id, { ...options, ...(args.child === undefined ? {} : { child: args.child }) }, write, signal));
      return;
    }
    const session = await client.getSessionInfo(args.id);
    const first = session.children[0]?.name;
    if (!all && args.child === undefined && first === undefined) throw noChild(session.id, 'logs');
    const children = all ? session.children.map((c) => c.name) : [args.child ?? first!];
    const printer = args.json ? jsonPrinter(session.id, write) : textPrinter({ all, timestamps: args.timestamps }, write);
    await untilInterrupted((signal) => printEntries(client, session.id, children, options, printer, signal));
  },
});
