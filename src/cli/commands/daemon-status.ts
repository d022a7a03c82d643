import type { Argv, CommandModule } from 'yargs';
import type { DaemonStatus } from '../../control/protocol.js';
import { statusLine } from '../format.js';
import { EXIT, print, run, type GlobalArgs } from '../run.js';

export const daemonStatus: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'status',
  describe: 'Is sessiond running? Exit 0 if so, 4 if not',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .example('$0 daemon status', 'pid, version, uptime, session counts')
      .example('$0 daemon status --json', '{ "running", "pid", "uptimeMs", "sessions", "spares", "version", "cgroups", "metrics", "home" }'),
  handler: (args) =>
    run(
      args,
      async (client) => {
        const status = complete(await client.status());
        print(args, status, () => statusLine(status));
        return status.running ? EXIT.ok : EXIT.notRunning;
      },
      { autoStart: false, local: true },
    ),
};

// Every field of the contract, whether or not a daemon answered: scripts read one shape.
function complete(status: DaemonStatus): DaemonStatus {
  return { ...status, spares: status.spares ?? [], version: status.version ?? null, cgroups: status.cgroups ?? null, metrics: status.metrics ?? null, systemd: status.systemd ?? false };
}
