import type { Argv, CommandModule } from 'yargs';
import type { GlobalArgs } from '../run.js';
import { childAdd } from './child-add.js';
import { childRemove } from './child-remove.js';
import { childRestart } from './child-restart.js';
import { childStop } from './child-stop.js';

export const child: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'child <action>',
  describe: 'Add, stop, restart or remove one child of a running session',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .command(childAdd)
      .command(childStop)
      .command(childRestart)
      .command(childRemove)
      .demandCommand(1, 'give an action: add, stop, restart or remove')
      .example('$0 child add session_… --child llm_agent=./agent.mjs', 'start one more Node child; prints its pid once it is ready')
      .example('$0 child stop session_… llm_agent', 'stop it for good (until child restart)')
      .example('$0 child remove session_… llm_agent', 'forget a stopped child')
      .epilog('An unknown session or child: exit 3. A name already used, or removing a running child: exit 1. A bad child spec: exit 2.'),
  handler: () => undefined,
};
