import type { Argv, CommandModule } from 'yargs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessiondError } from '../../contract/errors.js';
import { isRunning } from '../../process/proc.js';
import { run, type GlobalArgs } from '../run.js';

// Terminates take 5.5 s at most and run in parallel; the daemon then exits at once.
const EXIT_TIMEOUT_MS = 15_000;

export const daemonStop: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'stop',
  describe: 'Terminate every session, then stop sessiond; returns once its process is gone',
  builder: (yargs: Argv<GlobalArgs>) => yargs.example('$0 daemon stop', 'not running: says so, exit 0'),
  handler: (args) =>
    run(
      args,
      async (client) => {
        const pid = await client.stop();
        if (pid === null) {
          process.stderr.write('sessiond is not running\n');
          return;
        }
        const deadline = Date.now() + EXIT_TIMEOUT_MS;
        while (isRunning(pid)) {
          if (Date.now() > deadline) throw new SessiondError('internal', `sessiond (pid ${pid}) ended its sessions but did not exit within ${EXIT_TIMEOUT_MS} ms`);
          await sleep(20);
        }
      },
      { autoStart: false },
    ),
};
