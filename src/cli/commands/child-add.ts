import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { SessiondError } from '../../contract/errors.js';
import type { ChildSpecInput } from '../../contract/spec.js';
import { childPid } from '../child-command.js';
import { childOf, pair } from '../create-input.js';
import { print, run, type GlobalArgs } from '../run.js';

interface ChildAddArgs extends GlobalArgs {
  id: string;
  child?: string;
  command?: string;
  restart?: string;
  'shutdown-ms'?: number;
  significant?: boolean;
  stdin?: boolean;
  cwd?: string;
  env?: string[];
}

// The daemon names a bad field by its place in the params (`child.significant: …`); here, the flag typed.
const FLAGS: Readonly<Record<string, string>> = { name: 'NAME', file: 'FILE', command: '--command', restart: '--restart', shutdownMs: '--shutdown-ms', significant: '--significant', cwd: '--cwd', env: '--env' };

export const childAdd: CommandModule<GlobalArgs, ChildAddArgs> = {
  command: 'add <id>',
  describe: 'Start one more child in a running session, after the others (it stops first); prints its pid once it is ready',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'session id, or a unique prefix of one (4 characters at least)' })
      .option('child', { type: 'string', describe: 'a Node module child NAME=FILE (FILE relative to this directory)' })
      .option('command', { type: 'string', describe: 'an executable child NAME=CMDLINE (split as a shell would, run without one)' })
      .option('restart', { type: 'string', choices: ['permanent', 'transient', 'temporary'], describe: 'restart type (default permanent)' })
      .option('shutdown-ms', { type: 'number', describe: 'SIGTERM-to-SIGKILL grace when it is stopped (default 5000)' })
      .option('significant', { type: 'boolean', describe: "its end counts for the session's autoShutdown (transient or temporary children only)" })
      .option('cwd', { type: 'string', describe: "where it runs, relative to this directory (default: the session's cwd, its create --cwd)" })
      .option('stdin', { type: 'boolean', describe: 'keep its stdin open for sessionctl attach (spec "stdin": "pipe")' })
      .option('env', { type: 'string', array: true, describe: 'an environment variable K=V, over the daemon\'s; repeatable' })
      .conflicts('child', 'command')
      .check((args) => {
        if ((args.child === undefined) === (args.command === undefined)) throw new Error('give the child: --child NAME=FILE or --command NAME=CMDLINE');
        if (Array.isArray(args.child) || Array.isArray(args.command)) throw new Error('child add adds one child: give --child or --command once');
        const ms = args['shutdown-ms'];
        if (ms !== undefined && (!Number.isInteger(ms) || ms < 0)) throw new Error('--shutdown-ms takes a whole number of milliseconds, 0 or more');
        return true;
      })
      .example('$0 child add session_… --child llm_agent=./agent.mjs', 'a Node child; prints its pid')
      .example("$0 child add session_… --command 'web=python3 -m http.server 8080' --cwd ./site", 'a command child, run in ./site')
      .example('$0 child add session_… --child llm_agent=./agent.mjs --restart temporary --significant', 'an agent whose end ends the session (create --auto-shutdown any_significant)')
      .example('$0 child add session_… --child worker=./worker.mjs --env MODE=batch --json', 'with an environment variable; prints the session JSON') as unknown as Argv<ChildAddArgs>,
  handler: (args) =>
    run(args, async (client) => {
      const child = childSpec(args, process.cwd());
      const session = await client.addChild(args.id, child, process.cwd()).catch((error: unknown) => {
        throw namedAsTyped(error);
      });
      print(args, session, () => String(childPid(session, child.name) ?? '-'));
    }),
};

function childSpec(args: ChildAddArgs, cwd: string): ChildSpecInput {
  const base = args.child === undefined ? childOf({ kind: 'command', value: args.command! }, cwd) : childOf({ kind: 'child', value: args.child }, cwd);
  const env = Object.fromEntries((args.env ?? []).map((kv) => pair(kv, '--env', 'K=V')));
  return {
    ...base,
    ...(args.restart === undefined ? {} : { restart: args.restart as ChildSpecInput['restart'] }),
    ...(args['shutdown-ms'] === undefined ? {} : { shutdownMs: args['shutdown-ms'] }),
    ...(args.significant === undefined ? {} : { significant: args.significant }),
    ...(args.stdin ? { stdin: 'pipe' as const } : {}),
    ...(args.cwd === undefined ? {} : { cwd: resolve(cwd, args.cwd) }),
    ...(args.env?.length ? { env } : {}),
  };
}

function namedAsTyped(error: unknown): unknown {
  if (!(error instanceof SessiondError) || error.code !== 'invalid_params') return error;
  const message = error.message.replace(/\bchild\.([A-Za-z]+)(?=[.:])/g, (all: string, field: string) => FLAGS[field] ?? all);
  return message === error.message ? error : new SessiondError(error.code, message, { cause: error });
}
