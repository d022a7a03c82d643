import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ProcessPins, SUPERVISOR } from '../../src/process/pins.js';
import { readStat } from '../../src/process/proc.js';

describe('ProcessPins', () => {
  it('pins a pid with its /proc start time, read once', () => {
    const pins = new ProcessPins();
    pins.pin(SUPERVISOR, process.pid);
    expect(pins.startTime(SUPERVISOR, process.pid)).toBe(readStat(process.pid)!.startTime);
    expect(pins.startTime(SUPERVISOR, process.pid + 1)).toBeNull();
  });

  it('takes a start time it was given for that pid (read while a spare idled) rather than reading /proc', () => {
    const child = spawn('sleep', ['5'], { stdio: 'ignore' });
    try {
      const pins = new ProcessPins();
      pins.know(new Map([[process.pid, 42]]));
      pins.pin(SUPERVISOR, process.pid);
      pins.pin('worker', child.pid!);
      expect(pins.startTime(SUPERVISOR, process.pid)).toBe(42);
      expect(pins.startTime('worker', child.pid!)).toBe(readStat(child.pid!)!.startTime);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
