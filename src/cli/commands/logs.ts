import type { SessionClient } from '../../control/client.js';
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
    ['$0 logs session_… --json | jq -r .line', 'one JSON object a line: { "session", "child", "line" }'],
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
    const out = args.json ? await jsonLines(args, client) : { write: (text: string) => void process.stdout.write(text), end: () => undefined };
    await untilInterrupted((signal) => client.logs(args.id, options, out.write, signal));
    out.end();
  },
});

// --json: each line as { session, child, line }; a follow's chunk may end mid-line, which waits for the rest (or the end).
async function jsonLines(args: LogsArgs, client: SessionClient): Promise<{ write: (text: string) => void; end: () => void }> {
  const session = await client.getSessionInfo(args.id);
  const child = args.child ?? session.children[0]?.name ?? null;
  const print = (line: string) => process.stdout.write(`${JSON.stringify({ session: session.id, child, line })}\n`);
  let partial = '';
  return {
    write: (text) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      lines.forEach(print);
    },
    end: () => {
      if (partial !== '') print(partial);
    },
  };
}
