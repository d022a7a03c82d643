// What a scenario produces: one figure per measured quantity, with each system's samples.
import type { Sample } from './stats.js';
import type { SystemName } from './system.js';

export interface Figure {
  /** Stable key, e.g. `crash.replacement_ready`. */
  readonly key: string;
  readonly label: string;
  readonly unit: 'ms' | 'MB' | 'ops/s' | 'MB/s';
  readonly samples: Partial<Record<SystemName, Sample[]>>;
  /** Samples recorded as null because they passed this limit (ms): shown as "> limit". */
  readonly limit?: number;
  /** Per-system remarks, e.g. how many creates failed. */
  readonly notes?: Partial<Record<SystemName, string>>;
  /** Extra data for the JSON, e.g. RSS after every cycle. */
  readonly series?: Partial<Record<SystemName, number[]>>;
}

export interface Plan {
  readonly quick: boolean;
  /** Trials of the fast scenarios (create, crash, cooperative terminate). */
  readonly trials: number;
  /** Trials of the 5 s terminate. */
  readonly slowTrials: number;
  /** Sizes of the scale scenario, each with its trials (the large one is slow). */
  readonly scales: ReadonlyArray<{ readonly size: number; readonly trials: number }>;
  readonly listCalls: number;
  readonly cycles: number;
  readonly cycleSize: number;
  readonly orphanSessions: number;
  readonly orphanTrials: number;
  /** How long the orphan test waits for the last process before calling it never (ms). */
  readonly orphanLimitMs: number;
  /** Sends timed one at a time (the round trip), then bursts of `sendBurst` sends 100 in flight, `sendTrials` of them. */
  readonly sendRoundTrips: number;
  readonly sendBurst: number;
  readonly sendTrials: number;
  /** Sessions on each of the cluster's 3 nodes when `list` is timed across them. */
  readonly clusterSessionsPerNode: number;
}

export const FULL_PLAN: Plan = {
  quick: false,
  trials: 20,
  slowTrials: 6,
  scales: [
    { size: 50, trials: 3 },
    { size: 200, trials: 1 },
  ],
  listCalls: 20,
  cycles: 10,
  cycleSize: 50,
  orphanSessions: 10,
  orphanTrials: 8,
  orphanLimitMs: 3000,
  sendRoundTrips: 2000,
  sendBurst: 10_000,
  sendTrials: 5,
  clusterSessionsPerNode: 200,
};

export const QUICK_PLAN: Plan = {
  quick: true,
  trials: 3,
  slowTrials: 2,
  scales: [{ size: 5, trials: 1 }],
  listCalls: 5,
  cycles: 2,
  cycleSize: 5,
  orphanSessions: 3,
  orphanTrials: 2,
  orphanLimitMs: 3000,
  sendRoundTrips: 200,
  sendBurst: 1000,
  sendTrials: 2,
  clusterSessionsPerNode: 10,
};
