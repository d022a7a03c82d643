import type { NodeInfo } from '../../cluster/node-info.js';
import type { DaemonStatus } from '../../control/protocol.js';
import type { SessionInfo } from '../../contract/session.js';
import { formatBytes, formatDuration, table } from '../format.js';

// Lifecycle order; a status not listed (a newer daemon's) goes last.
const STATUS_ORDER = ['initializing', 'active', 'idle', 'paused', 'terminating'];

export interface Frame {
  readonly sessions: readonly SessionInfo[];
  readonly status: DaemonStatus | null;
  /** Across a cluster (`--cluster`): its nodes, in place of one daemon's status. */
  readonly nodes?: readonly NodeInfo[] | undefined;
  /** Why there is nothing to show (the daemon went away, say). */
  readonly problem: string | null;
}

/** The short id of top: the first 8 characters of a generated id's uuid, a chosen id whole (up to 24). */
export function shortId(id: string): string {
  if (/^session_[0-9a-f]{8}-/.test(id)) return id.slice(8, 16);
  return id.length > 24 ? `${id.slice(0, 23)}…` : id;
}

/** Sessions by status (lifecycle order), then oldest first: rows keep their place from one refresh to the next. */
export function sortSessions(sessions: readonly SessionInfo[]): SessionInfo[] {
  const rank = (s: SessionInfo) => {
    const i = STATUS_ORDER.indexOf(s.status);
    return i === -1 ? STATUS_ORDER.length : i;
  };
  return [...sessions].sort((a, b) => rank(a) - rank(b) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** One screen of `top`, as lines at most `width` wide and `height` long. */
export function renderFrame(frame: Frame, size: { width: number; height: number }, now = Date.now()): string[] {
  const sessions = sortSessions(frame.sessions);
  const lines = [headline(frame, sessions, now)];
  if (frame.problem) lines.push(frame.problem);
  // Across a cluster, which node holds each session (and `?` after the status of one whose node is unreachable), as list says it.
  const clustered = frame.nodes !== undefined;
  const rows = sessions.map((s) => [
    shortId(s.id),
    ...(clustered ? [s.node ?? '-'] : []),
    `${s.status}${s.reachable === false ? '?' : ''}`,
    `${s.children.filter((c) => c.status === 'running').length}/${s.children.length}`,
    String(s.restarts),
    formatDuration(now - Date.parse(s.createdAt)),
    `${s.stats.cpu.toFixed(1)}%`,
    formatBytes(s.stats.memory),
    s.children.map((c) => c.name).join(','),
  ]);
  const room = Math.max(1, size.height - lines.length - 2); // the column header and the footer
  const shown = rows.length > room ? rows.slice(0, room - 1) : rows;
  const body = table(['ID', ...(clustered ? ['NODE'] : []), 'STATUS', 'CHILDREN', 'RESTARTS', 'UPTIME', 'CPU', 'RSS', 'NAMES'], shown).split('\n');
  lines.push(...body);
  if (shown.length < rows.length) lines.push(`… ${rows.length - shown.length} more (a taller terminal shows them)`);
  if (!rows.length && !frame.problem) lines.push('no sessions: sessionctl create starts one');
  while (lines.length < size.height - 1) lines.push('');
  lines.push('q quit · sorted by status, then oldest first · refreshed every second');
  return lines.slice(0, size.height).map((line) => (line.length > size.width ? line.slice(0, size.width) : line));
}

function headline(frame: Frame, sessions: readonly SessionInfo[], now: number): string {
  const clock = new Date(now).toTimeString().slice(0, 8);
  const status = frame.status;
  const cpu = sessions.reduce((sum, s) => sum + s.stats.cpu, 0);
  const memory = sessions.reduce((sum, s) => sum + s.stats.memory, 0);
  const totals = `${sessions.length} session${sessions.length === 1 ? '' : 's'} · cpu ${cpu.toFixed(1)}% · rss ${formatBytes(memory)} · ${clock}`;
  if (frame.nodes) return `sessiond cluster · ${frame.nodes.filter((n) => n.state === 'up').length}/${frame.nodes.length} nodes up · ${totals}`;
  if (!status?.running) return `sessiond: no answer · ${clock}`;
  const version = status.version ? ` ${status.version}` : '';
  return `sessiond${version} · pid ${status.pid} · up ${formatDuration(status.uptimeMs ?? 0)} · ${totals}`;
}
