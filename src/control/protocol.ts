import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { ErrorCode } from '../contract/errors.js';
import { signalName } from '../contract/signals.js';
import type { StoredEvent } from '../contract/events.js';
import type { LogEntry } from '../logs/log-records.js';
import type { SessionDescription } from './describe.js';
import type { SessionInfo, SessionStatus } from '../contract/session.js';
import { sessionSpecInput } from '../contract/spec.js';
import type { CgroupSupport } from '../cgroup/types.js';
import { LIVE_PARAMS, sessionId, type LiveResults } from './live-protocol.js';
import type { ExecResults } from './exec-protocol.js';
import { EXEC_PARAMS } from '../exec/exec-params.js';
import type { SpareInfo } from '../manager/supervisor-pool.js';
import type { NodeInfo } from '../cluster/node-info.js';

export type { SpareInfo };

export { MAX_LINE_BYTES } from './line-limit.js';

const byId = z.strictObject({ id: sessionId });

// "KILL", "sigterm" and "SIGKILL" all name a signal; anything else is refused here, at the edge.
const signal = z
  .string()
  .refine((s) => signalName(s) !== null, { message: 'must be a signal name such as SIGKILL or SIGTERM' })
  .transform((s) => signalName(s)!);

/** The params of every method, parsed once when a request arrives. */
export const PARAMS = {
  // Relative child files resolve against `cwd`, the client's working directory: the daemon's own means nothing to the caller.
  create: sessionSpecInput.extend({
    cwd: z.string().refine(isAbsolute, { message: 'must be an absolute path' }).optional(),
    // The node to start it on (`create --node`): the cluster's client places it; a node takes only its own name.
    node: z.string().min(1).max(63).optional(),
    // The caller chose `cwd` for the children (`create --cwd`), rather than only resolving files against it.
    cwdGiven: z.boolean().optional(),
  }),
  list: z.strictObject({ all: z.boolean().default(false) }),
  info: byId,
  describe: byId,
  find: byId,
  'llm-agent': byId,
  terminate: byId,
  pause: byId,
  resume: byId,
  kill: z
    .strictObject({
      id: sessionId,
      child: z.string().min(1).optional(),
      supervisor: z.boolean().optional(),
      signal: signal.default('SIGKILL'),
    })
    .refine((p) => !(p.child !== undefined && p.supervisor), { message: 'give either "child" or "supervisor", not both' }),
  events: z.strictObject({
    session: sessionId.optional(),
    since: z.number().int().min(0).default(0),
    // The last N events (of the session, if given) instead of those after `since`.
    lines: z.number().int().min(0).optional(),
    follow: z.boolean().default(false),
  }),
  logs: z
    .strictObject({
      id: sessionId,
      child: z.string().min(1).optional(),
      lines: z.number().int().min(0).max(100_000).default(100),
      follow: z.boolean().default(false),
      // Each line (and each followed piece) as { at, stream, text, end }, for stamps and streams.
      entries: z.boolean().default(false),
      // A follower resumes where it left off: the position of its last text (no `fileId`: the start of whatever file is there).
      offset: z.number().int().min(0).optional(),
      fileId: z.string().max(64).optional(),
    })
    .refine((p) => p.offset === undefined || p.follow, { message: '"offset" resumes a follow: give "follow": true with it' })
    .refine((p) => p.fileId === undefined || p.offset !== undefined, { message: '"fileId" goes with "offset"' }),
  status: z.strictObject({}),
  stop: z.strictObject({}),
  restart: z.strictObject({}),
  nodes: z.strictObject({}),
  ...LIVE_PARAMS,
  ...EXEC_PARAMS,
} as const;

export type Method = keyof typeof PARAMS;
export const METHODS = Object.keys(PARAMS) as Method[];
export type ParamsOf<M extends Method> = z.output<(typeof PARAMS)[M]>;
export type ParamsInput<M extends Method> = z.input<(typeof PARAMS)[M]>;

export function isMethod(name: string): name is Method {
  return Object.hasOwn(PARAMS, name);
}

export type SessionCounts = Record<SessionStatus, number> & { total: number };

export interface DaemonStatus {
  readonly running: boolean;
  readonly pid: number | null;
  readonly uptimeMs: number | null;
  readonly home: string;
  readonly sessions: SessionCounts | null;
  // Optional only because a status built where the daemon is not running may lack them; the daemon always sends them.
  /** The daemon's package version (null when it is not running). */
  readonly version?: string | null;
  /** The spare supervisors started ahead of need, each with its spare Placeholder. */
  readonly spares?: readonly SpareInfo[];
  /** What cgroups the daemon found and uses for what (mode `none` with its reason); null when it is not running. */
  readonly cgroups?: CgroupSupport | null;
  /** The URL of the daemon's Prometheus metrics, or null when `--metrics` is off. */
  readonly metrics?: string | null;
  /** Whether systemd runs the daemon (its unit restarts it after `daemon restart`). */
  readonly systemd?: boolean;
}

export interface PidResult {
  readonly id: string;
  readonly pid: number;
}

export interface KillResult extends PidResult {
  readonly target: string;
  readonly signal: NodeJS.Signals;
}

/** What each method answers: exactly what the CLI prints with --json. */
export interface Results extends LiveResults, ExecResults {
  create: SessionInfo;
  list: SessionInfo[];
  info: SessionInfo;
  /** How each child is run: its spec (env keys only) and log files. */
  describe: SessionDescription;
  find: PidResult;
  'llm-agent': PidResult;
  terminate: SessionInfo;
  pause: SessionInfo;
  resume: SessionInfo;
  kill: KillResult;
  /** Without follow, every event after `since`; with follow, each event is a partial and this never comes. */
  events: StoredEvent[];
  /** The last lines; with follow, what the child prints next comes as partials LogsText. */
  logs: LogsResult;
  status: DaemonStatus;
  stop: { readonly stopped: true; readonly pid: number };
  restart: { readonly stopped: true; readonly pid: number };
  /** The cluster's nodes, as the daemon's node sees them (not in a cluster: not_supported). */
  nodes: NodeInfo[];
}

export interface LogsResult {
  readonly id: string;
  readonly child: string;
  readonly file: string;
  /** The last lines; none when resuming (`offset` given). */
  readonly lines: string[];
  /** With `entries`: the same lines, each with when it was captured and its stream. */
  readonly entries?: LogEntry[];
  /** The position just past `lines` (or the resumed one): a follower that reconnects gives it back as `offset` and `fileId`. */
  readonly offset: number;
  readonly fileId: string | null;
  /** On a resume, true when the text after `offset` is lost (the log was replaced or truncated): it goes on from the current file's start. */
  readonly gap?: boolean;
}

/** What a followed log gets next (its text, or with `entries` its pieces), and the position just past it. */
export type LogsText = ({ readonly text: string } | { readonly entries: LogEntry[] }) & {
  readonly offset: number;
  readonly fileId: string | null;
};

/** The envelope of a request; params are checked per method after it. */
export const request = z.object({
  id: z.union([z.string().max(256), z.number()]),
  method: z.string().max(64),
  params: z.record(z.string(), z.unknown()).default({}),
});

export type RequestId = z.output<typeof request>['id'];

export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** One reply line. A streaming method (events --follow, later) sends several `result`s with `more: true`. */
export type Reply =
  | { readonly id: RequestId | null; readonly result: unknown; readonly more?: true }
  | { readonly id: RequestId | null; readonly error: WireError };
