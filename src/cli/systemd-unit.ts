import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveStateDir } from '../contract/state-dir.js';
import { EXIT_RESTART_REQUESTED } from '../daemon/systemd.js';

export interface UnitTarget {
  /** A system unit (`/etc/systemd/system`) rather than a user unit. */
  readonly system: boolean;
  /** The state dir the unit's sessiond runs on. */
  readonly home: string;
}

export interface UnitFile {
  readonly name: string;
  readonly path: string;
  readonly text: string;
}

/**
 * Where units go: `$SESSIOND_UNIT_DIR` when set (tests, packagers), else the user's
 * `$XDG_CONFIG_HOME/systemd/user` (default ~/.config/systemd/user), or /etc/systemd/system.
 */
export function unitDir(system: boolean, env: NodeJS.ProcessEnv = process.env): string {
  if (env.SESSIOND_UNIT_DIR) return resolve(env.SESSIOND_UNIT_DIR);
  if (system) return '/etc/systemd/system';
  return join(env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(homedir(), '.config'), 'systemd', 'user');
}

/**
 * `sessiond.service` for the default state dir, `sessiond-<8 hex of its path's sha256>.service`
 * for any other, so each state dir can have its own unit.
 */
export function unitName(home: string, env: NodeJS.ProcessEnv = process.env): string {
  const standard = resolveStateDir(undefined, { ...env, SESSIOND_HOME: undefined });
  if (resolve(home) === standard) return 'sessiond.service';
  // node:crypto loads here, not with every command's start-up.
  const { createHash } = process.getBuiltinModule('node:crypto');
  return `sessiond-${createHash('sha256').update(resolve(home)).digest('hex').slice(0, 8)}.service`;
}

/** The unit: sessiond in the foreground on `home`, with absolute paths, as systemd supervises a service. */
export function unitFile(target: UnitTarget, program: { node: string; sessiond: string; version: string }, env: NodeJS.ProcessEnv = process.env): UnitFile {
  const name = unitName(target.home, env);
  const user = userInfo().username;
  const lines = [
    `# Written by 'sessionctl daemon install' (sessiond ${program.version}); remove it with 'sessionctl daemon uninstall'.`,
    '[Unit]',
    `Description=sessiond session supervisor (state dir ${specifiers(target.home)})`,
    ...(target.system ? ['After=network.target'] : []),
    '',
    '[Service]',
    'Type=exec',
    `ExecStart=${[program.node, program.sessiond, '--home', target.home, '--systemd'].map(execWord).join(' ')}`,
    // Commands in sessions find what they found in the shell that installed the unit.
    ...(env.PATH ? [`Environment=${quoted(`PATH=${env.PATH}`)}`] : []),
    ...(target.system && process.getuid?.() !== 0 ? [`User=${user}`] : []),
    'Restart=on-failure',
    'RestartSec=1s',
    // 2: bad settings, 75: another sessiond holds this state dir; a restart mends neither.
    'RestartPreventExitStatus=2 75',
    // `sessionctl daemon restart`: the unit starts the new daemon.
    `RestartForceExitStatus=${EXIT_RESTART_REQUESTED}`,
    // The cgroup subtree is sessiond's to divide among sessions.
    'Delegate=yes',
    // SIGTERM to sessiond, which terminates every session; SIGKILL for whatever is left after.
    'KillMode=mixed',
    'TimeoutStopSec=30s',
    '',
    '[Install]',
    `WantedBy=${target.system ? 'multi-user.target' : 'default.target'}`,
    '',
  ];
  return { name, path: join(unitDir(target.system, env), name), text: lines.join('\n') };
}

/** What to run once the unit is written. */
export function enableCommands(unit: string, system: boolean): string[] {
  const systemctl = system ? 'systemctl' : 'systemctl --user';
  return [`${systemctl} daemon-reload`, `${systemctl} enable --now ${unit}`, ...(system ? [] : [`loginctl enable-linger ${userInfo().username}`])];
}

/** What to run once the unit is gone. */
export function disableCommands(unit: string, system: boolean): string[] {
  const systemctl = system ? 'systemctl' : 'systemctl --user';
  return [`${systemctl} stop ${unit}`, `${systemctl} daemon-reload`];
}

// One word of ExecStart: quoted, and a `$` is literal, not a variable.
function execWord(word: string): string {
  return quoted(word).replace(/\$/g, () => '$$');
}

// A quoted value with systemd's escapes, specifiers (%) made literal.
function quoted(text: string): string {
  return `"${specifiers(text).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function specifiers(text: string): string {
  return text.replace(/%/g, '%%');
}
