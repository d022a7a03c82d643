import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, expect } from 'vitest';
import { join } from 'node:path';
import type { CgroupSupport } from '../../src/cgroup/index.js';
import { decodeRecords, joinLines } from '../../src/logs/log-records.js';
import { readStat } from '../../src/process/proc.js';
import { CgroupFixture } from '../cgroup/harness.js';
import { fixture, Harness } from './harness.js';

export const MiB = 1024 ** 2;
export const limitsFixture = (name: string) => fixture(`limits/${name}`);

/** The lines a child printed so far (its log in the session's folder, decoded from its records). */
export function logLines(h: Harness, id: string, child: string): string[] {
  try {
    const records = decodeRecords(readFileSync(join(h.home.dir, 'logs', 'sessions', id, `${child}.log`), 'utf8'));
    return joinLines(records).map((line) => line.text).filter(Boolean);
  } catch {
    return [];
  }
}

/** The session groups still under the daemon's parents: none once every session is gone. */
export function groupsLeft(support: CgroupSupport): string[] {
  return Object.values(support.parents).flatMap((parent) => {
    try {
      return readdirSync(parent, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(parent, e.name));
    } catch {
      return [];
    }
  });
}

/** A session's group directory in the v2 hierarchy (where the freezer and cgroup.kill are on this host). */
export function unifiedGroup(support: CgroupSupport, id: string): string | null {
  return support.parents.unified ? join(support.parents.unified, `s-${id}`) : null;
}

/** The state letter of /proc/PID/stat: `T` once SIGSTOP has stopped it. */
export function procState(pid: number): string | null {
  return readStat(pid)?.state ?? null;
}

/**
 * A manager in real cgroups for each test of the file (as the daemon detects them, under a state
 * dir of the test's own): call in the describe's body; after each test it is closed, and no group
 * may be left.
 */
export function inCgroups(): () => { h: Harness; support: CgroupSupport } {
  let h: Harness | undefined;
  let cgroups: CgroupFixture | undefined;
  afterEach(async () => {
    try {
      await h?.close();
    } finally {
      h = undefined;
      expect(await cgroups?.cleanup()).toEqual([]);
    }
  });
  return () => {
    cgroups = new CgroupFixture();
    const support = cgroups.detect();
    h = new Harness({ heartbeatMs: 100, cgroups: support });
    return { h, support };
  };
}
