import type { Argv, CommandModule } from 'yargs';
import { formatBytes, formatDuration, table } from '../format.js';
import { print, run, type GlobalArgs } from '../run.js';

export const nodes: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'nodes',
  describe: "List the cluster's nodes (with --cluster, or on a daemon started with --cluster)",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .example('$0 --cluster nats://10.0.0.5:4222 nodes', 'name, state, sessions, max sessions, free memory, version, last heard from')
      .example('$0 nodes --json', 'as a JSON array') as Argv<GlobalArgs>,
  handler: (args) =>
    run(args, async (client) => {
      const list = await client.nodes();
      const now = Date.now();
      print(args, list, () =>
        table(
          ['NAME', 'STATE', 'SESSIONS', 'MAX', 'FREE MEMORY', 'VERSION', 'LAST HEARD'],
          list.map((n) => [n.name, n.state, String(n.sessions), n.maxSessions === null ? '-' : String(n.maxSessions), formatBytes(n.freeMemory), n.version, `${formatDuration(now - Date.parse(n.lastHeardAt))} ago`]),
        ),
      );
    }),
};
