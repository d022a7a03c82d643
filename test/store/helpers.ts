import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { ChildSpec, SessionSpec } from '../../src/contract/spec.js';
import { Store, type SessionRecord } from '../../src/store/index.js';
import { tempHome } from '../helpers/proc.js';

/** A store in a fresh temp dir for each test, closed and removed after it; `reopen` closes and opens it again. */
export function useTempStore(): { readonly store: Store; readonly file: string; reopen: () => Store } {
  let home: ReturnType<typeof tempHome>;
  let file = '';
  let store: Store;
  beforeEach(() => {
    home = tempHome();
    file = join(home.dir, 'state.db');
    store = Store.open(file);
  });
  afterEach(() => {
    store.close();
    home.cleanup();
  });
  return {
    get store() {
      return store;
    },
    get file() {
      return file;
    },
    reopen: () => {
      store.close();
      return (store = Store.open(file));
    },
  };
}

/** A complete spec, as the manager would hand it to the store. */
export function specFor(id: string, metadata: Record<string, unknown> = {}): SessionSpec {
  return {
    id,
    metadata,
    llmConfig: { model: 'm', apiKey: 'sk-secret' },
    children: [
      childSpecFor({ name: 'placeholder', file: '/x/placeholder.js' }),
      childSpecFor({ name: 'tool', command: 'sleep', args: ['60'], env: { A: '1' }, restart: 'transient', shutdownMs: 1000 }),
    ],
    strategy: 'rest_for_one',
    maxRestarts: 7,
    maxSeconds: 11,
    autoShutdown: 'never',
    memoryMax: null,
    cpuMax: null,
    maxProcesses: null,
    ttlMs: null,
    idleTerminateMs: null,
  };
}

/** A complete child spec: the defaults, with `fields` over them. */
export function childSpecFor(fields: Partial<ChildSpec> & { name: string }): ChildSpec {
  return { args: [], env: {}, cwd: '/', restart: 'permanent', shutdownMs: 5000, significant: false, restartDelayMs: 0, backoff: 'none', maxRestartDelayMs: 30_000, ...fields };
}

/** A session record at `at` (ISO), with the fields a test does not care about filled in. */
export function recordFor(id: string, fields: Partial<SessionRecord> = {}, at = '2026-01-01T00:00:00.000Z'): SessionRecord {
  return {
    id,
    spec: specFor(id),
    status: 'active',
    error: null,
    restarts: 0,
    createdAt: at,
    updatedAt: at,
    supervisorPid: 4242,
    supervisorStartTime: 987654,
    children: [
      { name: 'placeholder', pid: 4250, startTime: 987700, status: 'running', restarts: 0, lastExit: null },
      {
        name: 'tool',
        pid: null,
        startTime: null,
        status: 'restarting',
        restarts: 2,
        lastExit: { code: null, signal: 'SIGKILL', at: '2026-01-01T00:00:01.000Z' },
      },
    ],
    ...fields,
  };
}

/** An ISO timestamp `days` days before `now`. */
export function daysAgo(now: number, days: number): string {
  return new Date(now - days * 24 * 3600_000).toISOString();
}
