import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { SessiondError } from '../../contract/errors.js';
import { packageVersion } from '../../contract/version.js';
import { probe } from '../../control/autostart.js';
import { statePaths } from '../../contract/paths.js';
import { entryPath } from '../../process/entries.js';
import { print, run, type GlobalArgs } from '../run.js';
import { enableCommands, unitFile } from '../systemd-unit.js';
import { recordGivenSettings, withSettingsOptions } from '../daemon-settings.js';

interface InstallArgs extends GlobalArgs {
  system: boolean;
  force: boolean;
}

export const daemonInstall: CommandModule<GlobalArgs, InstallArgs> = {
  command: 'install',
  describe: 'Write a systemd unit that runs sessiond in the foreground for this state dir; prints its path and how to enable it',
  builder: (yargs: Argv<GlobalArgs>) =>
    withSettingsOptions(yargs)
      .option('system', { type: 'boolean', default: false, describe: 'a system unit in /etc/systemd/system (default: a user unit)' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite a unit that exists and differs' })
      .example('$0 daemon install', 'a user unit in ~/.config/systemd/user; prints the systemctl lines to enable it')
      .example('sudo $0 daemon install --system --home /srv/sessiond', 'a system unit, started at boot')
      .example('sudo $0 daemon install --system --cluster tls://nats.internal:4222 --cluster-creds /etc/sessiond/node.creds', 'a node of a cluster: one per host')
      .epilog(
        'The unit is sessiond.service for the default state dir, sessiond-<hash>.service for any other; it runs sessiond with ' +
          'Restart=on-failure, Delegate=yes, KillMode=mixed, and logs to the journal as well as <state dir>/logs/sessiond.log. ' +
          'Settings given here or recorded by `daemon start --FLAG` (<state dir>/sessiond.json, mode 0600: a cluster URL with a password stays out of the unit file) apply to it too.',
      ) as unknown as Argv<InstallArgs>,
  handler: (args) =>
    run(
      args,
      async (client) => {
        const home = client.paths.home;
        if (/[\n\r]/.test(home)) throw new SessiondError('invalid_params', 'a state dir with a line break in its path cannot go into a systemd unit');
        recordGivenSettings(args, client.paths);
        const unit = unitFile({ system: args.system, home }, { node: process.execPath, sessiond: entryPath('sessiond'), version: packageVersion() });
        const existing = readOrNull(unit.path);
        const unchanged = existing === unit.text;
        if (existing !== null && !unchanged && !args.force) {
          throw new SessiondError('already_exists', `${unit.path} exists and differs from the unit sessiond would write; nothing changed (--force overwrites it)`);
        }
        if (!unchanged) write(unit.path, unit.text);
        const commands = enableCommands(unit.name, args.system);
        print(args, { unit: unit.name, path: unit.path, system: args.system, home, changed: !unchanged, commands }, () => unit.path);
        if (args.json) return;
        const running = await probe(statePaths(home));
        process.stderr.write(
          [
            unchanged ? `${unit.path} is installed already, unchanged.` : `Wrote ${unit.path}: sessiond for ${home}.`,
            ...(running ? [`A sessiond runs on this state dir now (pid ${running.pid}): stop it first ('sessionctl daemon stop'), or the unit's sessiond exits as 'already running'.`] : []),
            'Start it now and at every boot:',
            ...commands.map((c) => `  ${c}`),
            ...(args.system ? [] : ['(enable-linger: so it runs while you are not logged in)']),
            `Its log: journalctl ${args.system ? '' : '--user '}-u ${unit.name}`,
            '',
          ].join('\n'),
        );
      },
      { autoStart: false, local: true },
    ),
};

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function write(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, text, { mode: 0o644 });
    renameSync(`${file}.tmp`, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EACCES' || code === 'EPERM' ? ' (a system unit needs root: sudo)' : '';
    throw new SessiondError('internal', `cannot write ${file}: ${code ?? (error as Error).message}${hint}`, { cause: error });
  }
}
