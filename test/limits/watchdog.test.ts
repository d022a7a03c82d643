import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { RssSampler } from '../../src/limits/rss-sampler.js';
import { memoryVerdict } from '../../src/limits/watchdog.js';
import { killAll, waitFor } from '../helpers/proc.js';

const MiB = 1024 ** 2;
const s = (pid: number, mib: number): { pid: number; rss: number } => ({ pid, rss: mib * MiB });

describe('memoryVerdict', () => {
  it.each([
    ['within the limit: none', [s(1, 40), s(2, 50)], 100, [], { total: 90 * MiB, kill: null }],
    ['at the limit exactly: none', [s(1, 50), s(2, 50)], 100, [], { total: 100 * MiB, kill: null }],
    ['past it: the largest', [s(1, 40), s(2, 70), s(3, 10)], 100, [], { total: 120 * MiB, kill: 2 }],
    ['the spared supervisor counts but is not chosen', [s(1, 80), s(2, 30)], 100, [1], { total: 110 * MiB, kill: 2 }],
    ['only the spared left: it goes', [s(1, 120)], 100, [1], { total: 120 * MiB, kill: 1 }],
    ['a tie goes to the lower pid, whatever the order', [s(9, 60), s(4, 60)], 100, [], { total: 120 * MiB, kill: 4 }],
    ['no samples: none', [], 100, [], { total: 0, kill: null }],
  ] as const)('%s', (_, samples, limitMiB, spared, expected) => {
    expect(memoryVerdict(samples, limitMiB * MiB, new Set(spared))).toEqual(expected);
  });
});

describe('RssSampler', () => {
  const started: number[] = [];
  afterEach(() => killAll(started.splice(0)));

  it('reads the RSS of live pids, leaves out gone ones, and keeps the peak total', async () => {
    const child = spawn(process.execPath, ['-e', 'globalThis.b = Buffer.alloc(64 * 1024 * 1024, 1); console.log("held"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    started.push(child.pid!);
    await once(child.stdout!, 'data');
    const sampler = new RssSampler();
    const samples = sampler.sample([child.pid!, 999_999_999, child.pid!]);
    expect(samples.map((x) => x.pid)).toEqual([child.pid]);
    expect(samples[0]!.rss).toBeGreaterThan(64 * MiB);
    const totals = [samples[0]!.rss];
    for (let i = 0; i < 3; i++) totals.push(sampler.sample([child.pid!]).reduce((sum, x) => sum + x.rss, 0));
    expect(sampler.peakTotal).toBe(Math.max(...totals));
    child.kill('SIGKILL');
    await waitFor(() => sampler.sample([child.pid!]).length === 0, 'the killed child to leave the samples');
    // A gone process samples as nothing, which lowers no peak.
    expect(sampler.peakTotal).toBeGreaterThanOrEqual(Math.max(...totals));
  });
});
