// Run before every test file (vitest.config.ts setupFiles): a test that makes a Harness and never
// tears it down (a set-up that threw before the test could register its teardown, say) leaves a
// daemon and its sessions running after the suite. It fails here, and its daemon is stopped.
import { afterEach, beforeEach } from 'vitest';
import { harnesses, type Harness } from '../cli/harness.js';

let before = new Set<Harness>();
beforeEach(() => {
  before = new Set(harnesses.open());
});
afterEach(async () => {
  const leaked = harnesses.open().filter((h) => !before.has(h));
  if (!leaked.length) return;
  await Promise.allSettled(leaked.map((h) => h.teardown()));
  throw new Error(`this test left ${leaked.length} harness(es) never torn down (${leaked.map((h) => h.home).join(', ')}): their daemons would outlive the run; they are stopped now`);
});
