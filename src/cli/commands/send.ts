import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SessiondError } from '../../contract/errors.js';
import { givenFlags, nameFlagsAsTyped } from '../flag-names.js';
import { run, type GlobalArgs } from '../run.js';

interface SendArgs extends GlobalArgs {
  id: string;
  message: string;
  child?: string;
  'timeout-ms'?: number;
}

export const send: CommandModule<GlobalArgs, SendArgs> = {
  command: 'send <id> <message>',
  describe: "Send JSON to a Node child (default: the session's first) and print its reply as JSON: what its onMessage handler returned",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'session id, or a unique prefix of one (4 characters at least)' })
      .positional('message', { type: 'string', demandOption: true, describe: 'the JSON to send (- reads it from stdin)' })
      .option('child', { type: 'string', describe: 'the Node child to send to, by name' })
      .option('timeout-ms', { type: 'number', describe: 'how long to wait for the reply (default 30000)' })
      .check((args) => {
        const ms = args['timeout-ms'];
        if (ms !== undefined && (!Number.isInteger(ms) || ms <= 0)) throw new Error('--timeout-ms takes a positive whole number of milliseconds');
        return true;
      })
      .example('$0 send session_… \'{"task":"summarize README.md"}\' --child llm_agent', 'prints the reply, e.g. {"accepted":true}')
      .example('$0 send session_… --timeout-ms 5000 \'"ping"\'', 'any JSON value; no reply within 5 s: exit 1 (timeout)')
      .example('$0 send session_… - < task.json', 'the JSON from stdin')
      .epilog("The child's handler threw: exit 1 with its message (child_error). No reply in time (timeout), a command child (not_supported) or a child not running: exit 1. A message is at most 1 MiB; messages are never logged.") as unknown as Argv<SendArgs>,
  handler: (args) =>
    run(args, async (client) => {
      // yargs reads a lone `-` as an empty positional: the raw words tell it from a '' typed.
      const body = parseBody(args.message === '' && hideBin(process.argv).includes('-') ? '-' : args.message);
      const options = { ...(args.child === undefined ? {} : { child: args.child }), ...(args['timeout-ms'] === undefined ? {} : { timeoutMs: args['timeout-ms'] }) };
      const reply = await client.send(args.id, body, options).catch((error: unknown) => {
        if (error instanceof SessiondError && error.code === 'child_error') throw new SessiondError('child_error', `the child's onMessage handler failed: ${error.message}`);
        throw nameFlagsAsTyped(error, givenFlags(options));
      });
      process.stdout.write(`${JSON.stringify(reply)}\n`);
    }),
};

// `-`: the JSON from stdin, so a large message need not be in argv.
function parseBody(text: string): unknown {
  const source = text === '-' ? readFileSync(0, 'utf8') : text;
  try {
    return JSON.parse(source);
  } catch (error) {
    const where = text === '-' ? 'stdin' : JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
    throw new SessiondError('invalid_params', `the message is not JSON (${where}: ${(error as Error).message}); quote it for the shell, e.g. '{"task":"…"}' or '"text"'`);
  }
}
