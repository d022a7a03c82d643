import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { natsOptions } from '../cluster/nats.js';
import { checkNodeName } from '../cluster/node-name.js';
import { errorMessage, SessiondError } from '../contract/errors.js';
import { parseSize } from '../limits/size.js';
import type { LogRotation } from '../logs/child-log.js';
import type { RetentionOptions } from '../store/index.js';
import type { CgroupMode } from './cgroups.js';
import { parseMetricsAddress, type MetricsAddress } from './metrics-address.js';
import { DEFAULT_UID_RANGE } from '../contract/isolation.js';
import type { IsolationOptions } from '../isolation/isolation.js';
import { parseUidRange } from '../isolation/uid-pool.js';

type Kind = 'positive' | 'count' | 'size' | 'address' | 'flag' | 'cgroups' | 'cluster' | 'node' | 'path' | 'uid-range';

interface SettingDefinition {
  readonly kind: Kind;
  /** The value's name in help: `--keep-days D`. */
  readonly arg?: string;
  readonly describe: string;
}

/**
 * The daemon's settings, declared once: the flags of `sessiond` and of `sessionctl daemon
 * start`, and the keys of `<state dir>/sessiond.json`, where `daemon start` records them so
 * that every later start of the daemon (by a command, by systemd) runs with them.
 */
export const SETTINGS = {
  'idle-timeout-ms': { kind: 'positive', arg: 'MS', describe: 'a session with no child activity for MS becomes idle (default 300000)' },
  'heartbeat-ms': { kind: 'positive', arg: 'MS', describe: 'ping period of supervisors and children; 3 missed pongs = hung (default 1000)' },
  'keep-terminated': { kind: 'positive', arg: 'N', describe: 'terminated sessions kept in the store (default 1000)' },
  'keep-days': { kind: 'positive', arg: 'D', describe: '... and for how long (default 7)' },
  warm: { kind: 'count', arg: 'N', describe: 'spare sessions kept started ahead of need (default 1; 0: none): a default create then takes milliseconds' },
  'warm-supervisors': { kind: 'count', arg: 'N', describe: 'the old name of --warm' },
  cgroups: { kind: 'cgroups', arg: 'auto|off', describe: 'auto (default): a cgroup per session where the host allows it; off: none (memoryMax sampled by the daemon, cpuMax and maxProcesses refused)' },
  'max-sessions': { kind: 'positive', arg: 'N', describe: 'a create past N sessions not yet terminated fails at once (code capacity)' },
  metrics: { kind: 'address', arg: 'HOST:PORT', describe: 'serve Prometheus metrics at http://HOST:PORT/metrics (default off; loopback only)' },
  'metrics-public': { kind: 'flag', describe: 'let --metrics listen on an address other machines can reach' },
  'log-max-bytes': { kind: 'size', arg: 'SIZE', describe: "a child's log rotates past SIZE bytes (512k, 10M too; default 5M)" },
  'log-files': { kind: 'count', arg: 'N', describe: "rotated files kept of a child's log, .1 (newest) to .N (default 3; 0: none)" },
  cluster: { kind: 'cluster', arg: 'URL', describe: 'join the cluster at URL (nats://HOST:4222, tls://…; user:pass@ in it, or --cluster-creds) as a node' },
  node: { kind: 'node', arg: 'NAME', describe: "this daemon's node name in the cluster (default: the host name)" },
  'cluster-creds': { kind: 'path', arg: 'FILE', describe: 'a NATS credentials file (JWT and nkey seed) for --cluster' },
  isolate: { kind: 'flag', describe: 'every create is isolated (a user, work dir and clean environment of its own) unless it says --no-isolate; needs root' },
  'uid-range': { kind: 'uid-range', arg: 'FIRST-LAST', describe: `the uids isolated sessions get, one each (default ${DEFAULT_UID_RANGE.first}-${DEFAULT_UID_RANGE.last}: see the README)` },
} as const satisfies Record<string, SettingDefinition>;

export type SettingName = keyof typeof SETTINGS;
type ValueOf<K extends Kind> = K extends 'flag' ? boolean : K extends 'address' | 'cluster' | 'node' | 'path' | 'uid-range' ? string : K extends 'cgroups' ? CgroupMode : number;
export type Settings = { readonly [N in SettingName]?: ValueOf<(typeof SETTINGS)[N]['kind']> };

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** What the settings mean to startDaemon. */
export interface SettingsOptions {
  readonly idleTimeoutMs?: number | undefined;
  readonly heartbeatMs?: number | undefined;
  readonly warmSupervisors?: number | undefined;
  readonly retention: RetentionOptions;
  readonly metrics?: MetricsAddress | undefined;
  readonly cgroups?: CgroupMode | undefined;
  readonly maxSessions?: number | undefined;
  readonly logRotation: Partial<LogRotation>;
  readonly isolation: IsolationOptions;
  readonly cluster?: ClusterSettings | undefined;
}

/** `--cluster URL [--node NAME] [--cluster-creds FILE]`. */
export interface ClusterSettings {
  readonly url: string;
  readonly node?: string | undefined;
  readonly credsFile?: string | undefined;
}

export function settingsFile(home: string): string {
  return join(home, 'sessiond.json');
}

/** Parses settings given as flags (`where` null: values name their flag) or read from a file (`where`: its path). */
export function parseSettings(raw: Readonly<Record<string, unknown>>, where: string | null = null): Settings {
  const settings: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const label = where === null ? `--${name}` : `${where}: "${name}"`;
    if (!Object.hasOwn(SETTINGS, name)) throw new SessiondError('invalid_params', `${label} is not a setting of sessiond; the settings are ${SETTING_NAMES.join(', ')}`);
    settings[name] = parseValue(SETTINGS[name as SettingName].kind, value, label);
  }
  return settings as Settings;
}

function parseValue(kind: Kind, value: unknown, label: string): unknown {
  if (kind === 'flag') {
    if (typeof value === 'boolean') return value;
    throw new SessiondError('invalid_params', `${label} is true or false, not ${JSON.stringify(value)}`);
  }
  if (kind === 'cgroups') {
    if (value === 'auto' || value === 'off') return value;
    throw new SessiondError('invalid_params', `${label} takes auto or off, not ${JSON.stringify(value)}`);
  }
  if (kind === 'size') return parseSize(value, label);
  if (kind === 'cluster' || kind === 'node' || kind === 'path') {
    if (typeof value !== 'string' || value.trim() === '') throw new SessiondError('invalid_params', `${label} takes ${kind === 'cluster' ? 'a URL such as nats://HOST:4222' : kind === 'node' ? 'a node name' : 'a file'}, not ${JSON.stringify(value)}`);
    if (kind === 'cluster') natsOptions({ url: value }, 'check');
    if (kind === 'node') checkNodeName(value);
    return kind === 'path' ? resolve(value) : value;
  }
  if (kind === 'uid-range') {
    if (typeof value !== 'string') throw new SessiondError('invalid_params', `${label} takes FIRST-LAST, not ${JSON.stringify(value)}`);
    parseUidRange(value, label);
    return value;
  }
  if (kind === 'address') {
    if (typeof value !== 'string') throw new SessiondError('invalid_params', `${label} takes HOST:PORT, not ${JSON.stringify(value)}`);
    parseMetricsAddress(value, label);
    return value;
  }
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const ok = typeof number === 'number' && Number.isFinite(number) && (kind === 'positive' ? number > 0 : Number.isInteger(number) && number >= 0);
  if (!ok) throw new SessiondError('invalid_params', `${label} takes ${kind === 'positive' ? 'a positive number' : 'a whole number, 0 or more'}, not ${JSON.stringify(value)}`);
  return number;
}

/** The settings recorded in the state dir; none when there is no file. */
export function readSettings(home: string): Settings {
  const file = settingsFile(home);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new SessiondError('invalid_params', `cannot read ${file}: ${errorMessage(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SessiondError('invalid_params', `${file} is not valid JSON (${errorMessage(error)}): fix or remove it`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new SessiondError('invalid_params', `${file} must hold a JSON object of settings, e.g. {"warm": 2}`);
  return parseSettings(json as Record<string, unknown>, file);
}

/** Records `settings` over those of the file (atomically, mode 0600) and returns the whole. */
export function recordSettings(home: string, settings: Settings): Settings {
  const merged = { ...readSettings(home), ...settings };
  const file = settingsFile(home);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return merged;
}

/** Turns settings into startDaemon's options; a metrics address others can reach needs metrics-public. */
export function settingsOptions(settings: Settings): SettingsOptions {
  const metrics = settings.metrics === undefined ? undefined : parseMetricsAddress(settings.metrics);
  if (metrics && !metrics.loopback && !settings['metrics-public']) {
    throw new SessiondError('invalid_params', `--metrics ${settings.metrics} can be reached from other machines: add --metrics-public if you mean it, or use 127.0.0.1:PORT`);
  }
  const keepDays = settings['keep-days'];
  const maxTerminated = settings['keep-terminated'];
  const [maxBytes, files] = [settings['log-max-bytes'], settings['log-files']];
  return {
    idleTimeoutMs: settings['idle-timeout-ms'],
    heartbeatMs: settings['heartbeat-ms'],
    warmSupervisors: settings.warm ?? settings['warm-supervisors'],
    retention: { ...(maxTerminated === undefined ? {} : { maxTerminated }), ...(keepDays === undefined ? {} : { maxAgeMs: keepDays * 86_400_000 }) },
    metrics,
    cgroups: settings.cgroups,
    maxSessions: settings['max-sessions'] === undefined ? undefined : Math.floor(settings['max-sessions']),
    logRotation: { ...(maxBytes === undefined ? {} : { maxBytes }), ...(files === undefined ? {} : { files }) },
    cluster: clusterSettings(settings),
    isolation: { byDefault: settings.isolate ?? false, ...(settings['uid-range'] === undefined ? {} : { uidRange: parseUidRange(settings['uid-range']) }) },
  };
}

function clusterSettings(settings: Settings): ClusterSettings | undefined {
  const { cluster: url, node, 'cluster-creds': credsFile } = settings;
  if (url === undefined) {
    if (node !== undefined || credsFile !== undefined) throw new SessiondError('invalid_params', `--${node !== undefined ? 'node' : 'cluster-creds'} goes with --cluster URL`);
    return undefined;
  }
  return { url, node, credsFile };
}

/** The settings' lines of `sessiond --help`. */
export function settingsHelp(): string {
  return SETTING_NAMES.map((name) => {
    const { arg, describe } = SETTINGS[name] as SettingDefinition;
    return `  ${`--${name}${arg ? ` ${arg}` : ''}`.padEnd(26)} ${describe}`;
  }).join('\n');
}
