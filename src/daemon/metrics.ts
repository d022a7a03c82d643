import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SessionEvent } from '../contract/events.js';
import type { SessionInfo } from '../contract/session.js';
import { packageVersion } from '../contract/version.js';
import type { SessionManager } from '../manager/session-manager.js';

// Statuses shown even at 0, so a dashboard's series never vanish; any other status the manager reports is counted too.
const STATUSES = ['initializing', 'active', 'idle', 'paused', 'terminating'];

/**
 * The daemon's Prometheus metrics: counts from the manager's events as they happen, gauges
 * (sessions by status, each session's cpu and memory) from `listSessions` when scraped.
 */
export function createMetrics(manager: Pick<SessionManager, 'on' | 'listSessions'>): Registry {
  const registers = [new Registry()];
  const [registry] = registers as [Registry];
  collectDefaultMetrics({ register: registry });
  new Gauge({ name: 'sessiond_info', help: 'The running sessiond, by version (always 1)', labelNames: ['version'], registers }).set({ version: packageVersion() }, 1);

  // The three gauges are collected together on a scrape: one listSessions serves them all.
  let snapshot: Promise<SessionInfo[]> | null = null;
  const sessions = () => {
    snapshot ??= manager.listSessions().finally(() => setImmediate(() => (snapshot = null)));
    return snapshot;
  };
  new Gauge({
    name: 'sessiond_sessions',
    help: 'Sessions not yet terminated, by status',
    labelNames: ['status'],
    registers,
    async collect() {
      const counts = new Map(STATUSES.map((s) => [s, 0]));
      for (const { status } of await sessions()) counts.set(status, (counts.get(status) ?? 0) + 1);
      this.reset();
      for (const [status, n] of counts) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'sessiond_session_cpu_percent',
    help: "CPU use of a session's processes, in percent of one core",
    labelNames: ['session'],
    registers,
    async collect() {
      const all = await sessions();
      this.reset();
      for (const s of all) this.set({ session: s.id }, s.stats.cpu);
    },
  });
  new Gauge({
    name: 'sessiond_session_memory_bytes',
    help: "Resident memory (RSS) summed over a session's processes",
    labelNames: ['session'],
    registers,
    async collect() {
      const all = await sessions();
      this.reset();
      for (const s of all) this.set({ session: s.id }, s.stats.memory);
    },
  });
  countEvents(manager, registers);
  return registry;
}

function countEvents(manager: Pick<SessionManager, 'on'>, registers: Registry[]): void {
  const created = new Counter({ name: 'sessiond_sessions_created_total', help: 'Sessions created', registers });
  const resurrected = new Counter({ name: 'sessiond_sessions_resurrected_total', help: 'Sessions brought back by a daemon start', registers });
  const terminated = new Counter({ name: 'sessiond_sessions_terminated_total', help: 'Sessions terminated, by result (error: ended or failed unasked)', labelNames: ['result'], registers });
  const restarts = new Counter({ name: 'sessiond_child_restarts_total', help: 'Children restarted by their supervisor', registers });
  const crashes = new Counter({ name: 'sessiond_crashes_total', help: 'Unasked-for exits: of a child (non-zero code or a signal), or of a session supervisor', labelNames: ['process'], registers });
  const createSeconds = new Histogram({
    name: 'sessiond_create_duration_seconds',
    help: 'From a create to the session being active (every child ready)',
    buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10],
    registers,
  });
  for (const result of ['ok', 'error']) terminated.inc({ result }, 0);
  for (const process of ['child', 'supervisor']) crashes.inc({ process }, 0);

  const starting = new Map<string, number>();
  const stopping = new Set<string>();
  manager.on('event', (event: SessionEvent) => {
    const id = event.session;
    switch (event.type) {
      case 'session.created':
        created.inc();
        starting.set(id, performance.now());
        break;
      case 'session.resurrected':
        resurrected.inc();
        break;
      case 'session.active': {
        const since = starting.get(id);
        if (since !== undefined) createSeconds.observe((performance.now() - since) / 1000);
        starting.delete(id);
        break;
      }
      case 'session.terminating':
        stopping.add(id);
        break;
      case 'session.terminated':
        terminated.inc({ result: event.error ? 'error' : 'ok' });
        starting.delete(id);
        stopping.delete(id);
        break;
      case 'session.crashed':
        crashes.inc({ process: 'supervisor' });
        break;
      case 'child.restarted':
        restarts.inc();
        break;
      case 'child.exited':
        // Children stopped on purpose exit too: only the exits nobody asked for are crashes.
        if (!stopping.has(id) && (event.signal != null || (event.code != null && event.code !== 0))) crashes.inc({ process: 'child' });
        break;
    }
  });
}
