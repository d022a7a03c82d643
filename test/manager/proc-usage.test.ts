import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProcUsage, uptimeSeconds } from '../../src/manager/proc-usage.js';
import { readStat, type ProcStat } from '../../src/process/proc.js';
import { expectAllGone, waitFor } from '../helpers/proc.js';

const statsOf = (...pids: number[]) => new Map(pids.map((pid) => [pid, readStat(pid)!] as [number, ProcStat]));
const vmRss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

describe('ProcUsage', () => {
  it("reads a process's memory and CPU share from /proc/PID/stat, and forgets it once it is gone", async () => {
    const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    const idle = spawn('sleep', ['1000'], { stdio: 'ignore' });
    try {
      const pids = [busy.pid!, idle.pid!];
      await waitFor(() => readStat(busy.pid!)?.cpuTicks, 'the busy loop to use some CPU');
      const usage = new ProcUsage();
      // Node may still be growing its heap: the sample is bracketed by two reads of VmRSS (the
      // kernel batches its RSS counters, so the two files may differ by a few pages).
      const before = vmRss(busy.pid!);
      const first = usage.of([busy.pid!], statsOf(...pids), uptimeSeconds());
      const after = vmRss(busy.pid!);
      expect(first.cpu).toBeGreaterThan(0); // the first sample: its share since it started
      expect(first.memory).toBeGreaterThanOrEqual(Math.min(before, after) - 1024 * 1024);
      expect(first.memory).toBeLessThanOrEqual(Math.max(before, after) + 1024 * 1024);
      await waitFor(() => usage.of([busy.pid!], statsOf(...pids), uptimeSeconds()).cpu > 0, 'a share since the last sample');
      expect(usage.of([idle.pid!, busy.pid!], statsOf(...pids), uptimeSeconds()).memory).toBeGreaterThan(first.memory);
      busy.kill('SIGKILL');
      await expectAllGone([busy.pid!]);
      usage.forget(statsOf(idle.pid!));
      // Gone from /proc, it counts for nothing, and a pid given again starts afresh.
      expect(usage.of([busy.pid!], statsOf(idle.pid!), uptimeSeconds())).toEqual({ cpu: 0, memory: 0 });
      expect((usage as unknown as { last: Map<number, unknown> }).last.has(busy.pid!)).toBe(false);
    } finally {
      busy.kill('SIGKILL');
      idle.kill('SIGKILL');
      await expectAllGone([busy.pid!, idle.pid!]);
    }
  });
});
