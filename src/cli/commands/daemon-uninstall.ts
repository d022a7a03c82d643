import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { SessiondError } from '../../contract/errors.js';
import { print, run, type GlobalArgs } from '../run.js';
import { disableCommands, unitDir, unitName } from '../systemd-unit.js';

interface UninstallArgs extends GlobalArgs {
  system: boolean;
}

export const daemonUninstall: CommandModule<GlobalArgs, UninstallArgs> = {
  command: 'uninstall',
  describe: "Remove this state dir's systemd unit (and its enablement); prints its path",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('system', { type: 'boolean', default: false, describe: 'the system unit (default: the user unit)' })
      .example('$0 daemon uninstall', 'removes ~/.config/systemd/user/sessiond.service; prints how to stop it')
      .example('sudo $0 daemon uninstall --system --home /srv/sessiond', 'the system unit') as unknown as Argv<UninstallArgs>,
  handler: (args) =>
    run(
      args,
      async (client) => {
        const dir = unitDir(args.system);
        const name = unitName(client.paths.home);
        const path = join(dir, name);
        const removed = remove(path);
        // What `systemctl disable` removes for a unit wanted by a target: its links in *.wants/.
        if (removed) for (const wants of wantsDirs(dir)) remove(join(dir, wants, name));
        const commands = disableCommands(name, args.system);
        print(args, { unit: name, path, system: args.system, removed, commands }, () => path);
        if (args.json) return;
        if (!removed) process.stderr.write(`no unit at ${path}: nothing to remove\n`);
        else process.stderr.write(['Removed it. If it runs, stop it (its sessions end):', ...commands.map((c) => `  ${c}`), ''].join('\n'));
      },
      { autoStart: false, local: true },
    ),
};

function remove(file: string): boolean {
  try {
    rmSync(file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    throw new SessiondError('internal', `cannot remove ${file}: ${code}${code === 'EACCES' ? ' (a system unit needs root: sudo)' : ''}`, { cause: error });
  }
}

function wantsDirs(dir: string): string[] {
  try {
    return readdirSync(dir).filter((entry) => entry.endsWith('.wants'));
  } catch {
    return [];
  }
}
