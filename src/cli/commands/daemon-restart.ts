import { setTimeout as sleep } from 'node:timers/promises';
import type { Argv, CommandModule } from 'yargs';
import { ensureDaemon, probe } from '../../control/autostart.js';
import type { StatePaths } from '../../contract/paths.js';
import type { DaemonStatus } from '../../control/protocol.js';
import { recordGivenSettings, startingWith, withSettingsOptions } from '../daemon-settings.js';
import { print, run, type GlobalArgs } from '../run.js';
import { waitForExit } from '../wait-exit.js';

// systemd waits RestartSec (1 s) before it starts the unit again; then sessiond brings its sessions back.
const SYSTEMD_RESTART_TIMEOUT_MS = 15_000;

export const daemonRestart: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'restart',
  describe: 'Stop sessiond and its processes but keep the sessions: the new daemon brings them back (an upgrade, say)',
  builder: (yargs: Argv<GlobalArgs>) =>
    withSettingsOptions(yargs)
      .example('$0 daemon restart', "prints the new daemon's pid once the old one and all its processes are gone")
      .example('$0 daemon restart && $0 list', 'the same sessions, coming back with new pids')
      .example('$0 daemon restart --warm 2', 'with a new setting, recorded for every later start'),
  handler: (args) =>
    run(
      args,
      async (client) => {
        const recorded = recordGivenSettings(args, client.paths);
        const before = await client.status();
        const old = await client.restart();
        if (old !== null) await waitForExit(old);
        else process.stderr.write('sessiond was not running; starting it\n');
        const restarted = before.systemd ? await startedBySystemd(client.paths) : null;
        const status = restarted ?? (await startingWith(recorded, () => ensureDaemon(client.paths))).status;
        print(args, status, () => String(status.pid));
      },
      { autoStart: false, local: true },
    ),
};

// Under its unit the next daemon is systemd's to start; one that does not come is started here, as anywhere else.
async function startedBySystemd(paths: StatePaths): Promise<DaemonStatus | null> {
  const deadline = Date.now() + SYSTEMD_RESTART_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const status = await probe(paths);
    if (status) return status;
    await sleep(100);
  }
  process.stderr.write(`systemd did not start sessiond again within ${SYSTEMD_RESTART_TIMEOUT_MS / 1000} s; starting it outside its unit\n`);
  return null;
}
