import type { Argv, CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { GlobalArgs } from '../run.js';

// Their help and completion only: sessionctl.ts runs exec and attach without yargs (stream-command.ts).
const runRaw = async () => {
  const { runStreamCommand } = await import('../stream-command.js');
  process.exitCode = await runStreamCommand(hideBin(process.argv));
};

export const exec: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'exec <id> [cmd..]',
  describe: 'Run CMD inside the session (a process of it: its cgroup, cwd, environment), its stdin, stdout and stderr joined to yours; exits with its code',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'session id, or a unique prefix of one (4 characters at least)' })
      .positional('cmd', { type: 'string', array: true, describe: 'the command and its arguments, after --' })
      .option('cwd', { type: 'string', describe: "its working directory, relative to the session's (default: the session's)" })
      .option('env', { type: 'string', array: true, describe: 'NAME=VALUE laid over the session environment (repeatable)' })
      .option('timeout-ms', { type: 'number', describe: 'SIGTERM to its tree after this long, SIGKILL 5 s later; exit 124' })
      .option('tty', { type: 'boolean', describe: "a pseudo-terminal of your terminal's size (raw mode meanwhile)" })
      .example('$0 exec session_… -- npm test', "exits with npm test's code")
      .example('$0 exec session_… --tty -- bash', 'an interactive shell in the session')
      .epilog('Exit codes: CMD\'s; 128+N when signal N ended it; 124 after --timeout-ms; 127 when CMD is not found. Ctrl-C (or losing the connection) stops CMD.') as Argv<GlobalArgs>,
  handler: runRaw,
};

export const attach: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'attach <id>',
  describe: 'Join your stdin and stdout to a child whose stdin is "pipe" (child add --stdin): your EOF detaches, the child runs on',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'session id, or a unique prefix of one (4 characters at least)' })
      .option('child', { type: 'string', demandOption: true, describe: 'the child to attach to' })
      .example('$0 attach session_… --child mcp', 'speak a stdio protocol to the child') as Argv<GlobalArgs>,
  handler: runRaw,
};
