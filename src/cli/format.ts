import type { DaemonStatus } from '../control/protocol.js';
import type { SessionInfo } from '../contract/session.js';

/** 1h 2m, 3m 4s, 5s: the uptime columns of `list` and `daemon status`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Left-aligned columns, two spaces apart. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function children(session: SessionInfo): string {
  return session.children.map((c) => `${c.name}:${c.pid ?? '-'}`).join(',') || '-';
}

export function sessionTable(sessions: readonly SessionInfo[], now = Date.now()): string {
  // Across a cluster, which node holds each session (and `?` after the status of one whose node is unreachable).
  const nodes = sessions.some((s) => typeof s.node === 'string');
  return table(
    // RSS summed over the session's processes: shared pages count once per process (PSS would not).
    ['ID', ...(nodes ? ['NODE'] : []), 'STATUS', 'SUPERVISOR', 'CHILDREN', 'RESTARTS', 'UPTIME', 'CPU', 'RSS'],
    sessions.map((s) => [
      s.id,
      ...(nodes ? [s.node ?? '-'] : []),
      s.reachable === false ? `${s.status} (unreachable)` : s.status,
      String(s.supervisorPid ?? '-'),
      children(s),
      String(s.restarts),
      s.status === 'terminated' ? '-' : formatDuration(now - Date.parse(s.createdAt)),
      `${s.stats.cpu}%`,
      formatBytes(s.stats.memory),
    ]),
  );
}

/** `info`'s text; `extra` lines (the session's description) go before its children. */
export function sessionDetails(s: SessionInfo, extra: readonly string[] = []): string {
  const lines = [
    `id:           ${s.id}`,
    `status:       ${s.status}${s.reachable === false ? ' (last known: its node is unreachable)' : ''}`,
    ...(s.node ? [`node:         ${s.node}`] : []),
    `registry key: ${s.registryKey}`,
    `supervisor:   ${s.supervisorPid ?? '-'}`,
    `strategy:     ${s.strategy}`,
    `restarts:     ${s.restarts}`,
    `created:      ${s.createdAt}`,
    `updated:      ${s.updatedAt}`,
    `cpu / rss:    ${s.stats.cpu}% / ${formatBytes(s.stats.memory)} (summed over its processes)`,
    `limits:       ${limitsLine(s.limits)}`,
    `metadata:     ${JSON.stringify(s.metadata)}`,
    `llm config:   ${JSON.stringify(s.llmConfig)}`,
  ];
  if (s.error) lines.push(`error:        ${s.error}`);
  lines.push(...extra, 'children:');
  const rows = s.children.map((c) => [
    `  ${c.name}`,
    String(c.pid ?? '-'),
    c.status,
    String(c.restarts),
    c.lastExit ? `${c.lastExit.signal ? `signal ${c.lastExit.signal}` : `code ${c.lastExit.code}`}${c.lastExit.reason ? ` (${c.lastExit.reason})` : ''}` : '-',
  ]);
  lines.push(table(['  NAME', 'PID', 'STATUS', 'RESTARTS', 'LAST EXIT'], rows));
  return lines.join('\n');
}

// "memory 512.0 MiB, cpu 50%, 64 tasks, ttl 60000 ms (cgroup)", or "none".
function limitsLine(limits: SessionInfo['limits']): string {
  const parts = [
    limits.memoryMax !== null ? `memory ${formatBytes(limits.memoryMax)}` : '',
    limits.cpuMax !== null ? `cpu ${limits.cpuMax}%` : '',
    limits.maxProcesses !== null ? `${limits.maxProcesses} tasks` : '',
    limits.ttlMs !== null ? `ttl ${limits.ttlMs} ms` : '',
    limits.idleTerminateMs !== null ? `idle terminate ${limits.idleTerminateMs} ms` : '',
  ].filter(Boolean);
  const enforced = limits.enforcement ? ` (enforced by ${limits.enforcement === 'cgroup' ? 'its cgroup' : "the daemon's memory watchdog"})` : '';
  return parts.length ? `${parts.join(', ')}${enforced}` : 'none';
}

export function statusLine(status: DaemonStatus): string {
  if (!status.running) return `sessiond is not running (state dir ${status.home})`;
  const counts = status.sessions;
  const live = Object.entries(counts ?? {})
    .filter(([status, n]) => status !== 'total' && n > 0)
    .map(([status, n]) => `${n} ${status}`);
  const version = status.version ? ` ${status.version}` : '';
  const metrics = status.metrics ? `, metrics at ${status.metrics}` : '';
  const cgroups = status.cgroups ? `, cgroups: ${status.cgroups.mode}${status.cgroups.reason ? ` (${status.cgroups.reason})` : ''}` : '';
  return `sessiond${version} is running: pid ${status.pid}, up ${formatDuration(status.uptimeMs ?? 0)}, sessions: ${live.join(', ') || 'none'}${cgroups}${metrics} (state dir ${status.home})`;
}
