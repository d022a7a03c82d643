import { readFileSync } from 'node:fs';
import { freemem } from 'node:os';

/** Bytes the host can still give out (MemAvailable: free plus reclaimable cache); os.freemem() where /proc/meminfo says nothing. */
export function availableMemory(): number {
  try {
    const kib = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
    if (kib) return Number(kib) * 1024;
  } catch {
    // not Linux
  }
  return freemem();
}
