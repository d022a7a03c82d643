import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SparePlaceholder } from '../../src/supervisor/spare.js';
import { expectAllGone, killAll, tempHome } from '../helpers/proc.js';
import { childSpec, fixture, PLACEHOLDER, uniqueId } from './harness.js';

let home: ReturnType<typeof tempHome> | undefined;
let spare: SparePlaceholder | undefined;

afterEach(async () => {
  const pid = spare?.proc.pid;
  try {
    await spare?.discard();
    if (pid) await expectAllGone([pid]);
  } finally {
    if (pid) killAll([pid]);
    spare = undefined;
    home?.cleanup();
    home = undefined;
  }
});

describe('a spare Placeholder', () => {
  it('that never answers is pinged less and less often, and given up after the bound', async () => {
    home = tempHome();
    const pings = join(home.dir, 'pings');
    const placeholder = childSpec({ name: 'placeholder', file: fixture('count-pings.mjs'), env: { PINGS_FILE: pings } });
    spare = new SparePlaceholder({ session: uniqueId('spare'), placeholder });
    const t0 = Date.now();
    expect(await spare.loaded(1500)).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    // Every 20 ms that would be some 75 pings; backing off from 20 ms to 1 s, at most 8.
    const count = existsSync(pings) ? Number(readFileSync(pings, 'utf8')) : 0;
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(8);
  });

  it('that answers is loaded', async () => {
    const placeholder = childSpec({ name: 'placeholder', file: PLACEHOLDER });
    spare = new SparePlaceholder({ session: uniqueId('spare'), placeholder });
    expect(await spare.loaded(10_000)).toBe(true);
  });
});
