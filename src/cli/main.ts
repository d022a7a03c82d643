// sessionctl's commands but exec and attach (sessionctl.ts picks): each lives in commands/; this file only wires them.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { packageVersion } from '../contract/version.js';
import { child } from './commands/child.js';
import { create } from './commands/create.js';
import { daemon } from './commands/daemon.js';
import { events } from './commands/events.js';
import { find } from './commands/find.js';
import { info } from './commands/info.js';
import { kill } from './commands/kill.js';
import { list } from './commands/list.js';
import { llmAgent } from './commands/llm-agent.js';
import { logs } from './commands/logs.js';
import { pause } from './commands/pause.js';
import { resume } from './commands/resume.js';
import { messages } from './commands/messages.js';
import { nodes } from './commands/nodes.js';
import { registryKeyCommand } from './commands/registry-key.js';
import { restart } from './commands/restart.js';
import { send } from './commands/send.js';
import { terminate } from './commands/terminate.js';
import { top } from './commands/top.js';
import { withStdinValues } from './argv.js';
import { completion, sessionIdsToComplete } from './completion.js';
import { EXIT, type GlobalArgs } from './run.js';
import { explainUsageError } from './usage-errors.js';
import { attach, exec } from './commands/exec.js';

type Usage = { cacheHelpMessage?: () => void };

/** Parses process.argv and runs its command (sessionctl.ts calls it; no top-level await: the bin is CommonJS). */
export async function main(): Promise<void> {
  const parser = yargs(withStdinValues(hideBin(process.argv)));
  // yargs renders a command's whole help text each time the command runs, only to keep it for a
  // failure's usage output, which .fail() below never prints: for `create` that cost more than the
  // daemon's whole answer from a spare. `--help` still renders it when asked.
  const usage = (parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => Usage } }).getInternalMethods?.().getUsageInstance?.();
  if (usage?.cacheHelpMessage) usage.cacheHelpMessage = () => undefined;

  await parser
    .scriptName('sessionctl')
    .usage('$0 <command> [options]\n\nControl sessiond: sessions as real OS process trees, supervised as in OTP.')
    .option('home', { type: 'string', global: true, describe: 'state dir (default $SESSIOND_HOME, $XDG_STATE_HOME/sessiond, ~/.local/state/sessiond)' })
    .option('json', { type: 'boolean', global: true, describe: 'print JSON' })
    .option('cluster', { type: 'string', global: true, describe: 'run the command across the sessiond cluster at this NATS URL (default $SESSIOND_CLUSTER)' })
    .option('cluster-creds', { type: 'string', global: true, describe: 'a NATS credentials file for --cluster (default $SESSIOND_CLUSTER_CREDS)' })
    .command<GlobalArgs>(daemon)
    .command(create)
    .command(list)
    .command(info)
    .command(find)
    .command(llmAgent)
    .command(registryKeyCommand)
    .command(terminate)
    .command(kill)
    .command(events)
    .command(logs)
    .command(restart)
    .command(child)
    .command(send)
    .command(messages)
    .command(top)
    .completion('completion', 'Print a shell completion script (bash; zsh when $SHELL is zsh): commands, flags, and the ids of a running daemon', completion(await sessionIdsToComplete()))
    .command(pause)
    .command(resume)
    .command(nodes)
    .command(exec)
    .command(attach)
    .demandCommand(1, 'give a command; see sessionctl --help')
    .recommendCommands()
    .strict()
    .fail((message, error) => {
      if (error && !message) throw error;
      process.stderr.write(`sessionctl: ${explainUsageError(message ?? error?.message ?? '', hideBin(process.argv))}\nRun 'sessionctl --help' (or '<command> --help') for usage.\n`);
      process.exit(EXIT.usage);
    })
    .help()
    .alias('help', 'h')
    .version(packageVersion())
    .alias('version', 'V')
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .parseAsync();
}
