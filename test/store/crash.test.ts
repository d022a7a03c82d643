import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { killAll, tempHome, waitFor } from '../helpers/proc.js';

const root = resolve(import.meta.dirname, '../..');
const fixture = join(root, 'test/fixtures/store-append.mjs');

// The fixture runs in plain node, so it needs the store as JavaScript: built here, into a
// private dir, rather than relying on a dist/ that may be stale or mid-build by someone else;
// --noCheck: emitting only, so type errors elsewhere in the tree (npm run typecheck) do not stop it.
function buildStore(outDir: string): string {
  execFileSync(process.execPath, [
    join(root, 'node_modules/typescript/bin/tsc'),
    ...['--outDir', outDir, '--rootDir', root, '--module', 'nodenext', '--moduleResolution', 'nodenext'],
    ...['--target', 'es2022', '--skipLibCheck', '--noCheck', '--types', 'node', join(root, 'src/store/index.ts')],
  ]);
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(root, 'node_modules'), join(outDir, 'node_modules'));
  return join(outDir, 'src/store/index.js');
}

/** Runs the fixture until `until(last seq it printed)` holds (or `afterMs` passes), then SIGKILLs it. */
async function runAndKill(storeModule: string, file: string, until: { seq?: number; afterMs?: number }): Promise<void> {
  const child = spawn(process.execPath, [fixture, storeModule, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((done) => child.once('exit', done));
  let printed = -1;
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    const last = text.trim().split('\n').at(-1)!.replace('start ', '');
    printed = Number(last);
  });
  try {
    if (until.seq !== undefined) await waitFor(() => printed >= until.seq!, `the fixture to reach seq ${until.seq}`, 15_000, 5);
    await new Promise((done) => setTimeout(done, until.afterMs ?? Math.random() * 20));
  } finally {
    child.kill('SIGKILL');
    await exited;
    killAll([child.pid!]);
  }
}

/** The store after a kill: opens cleanly, seq 1..last with no gap or repeat, the row matching the last event. */
function expectSound(file: string): number {
  const store = Store.open(file);
  try {
    const last = store.events.lastSeq();
    const events = store.events.since(0);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(events.filter((e) => e.n !== e.seq)).toEqual([]);
    expect(store.sessions.get('crash')?.restarts ?? 0).toBe(last);
    return last;
  } finally {
    store.close();
  }
}

describe('store: SIGKILL mid-write', () => {
  const home = tempHome();
  let storeModule: string;
  beforeAll(() => {
    mkdirSync(join(home.dir, 'build'));
    storeModule = buildStore(join(home.dir, 'build'));
  });
  afterAll(() => home.cleanup());

  it('leaves a store that reopens with every committed event once, and the seq goes on', async () => {
    const file = join(home.dir, 'state.db');
    let last = 0;
    for (let round = 0; round < 4; round++) {
      await runAndKill(storeModule, file, { seq: last + 1500 });
      const now = expectSound(file);
      expect(now).toBeGreaterThanOrEqual(last + 1500);
      last = now;
    }
  });

  it('survives a kill at any moment of opening and creating the store', async () => {
    for (let round = 0; round < 6; round++) {
      const file = join(home.dir, `early-${round}.db`);
      await runAndKill(storeModule, file, { afterMs: 40 + round * 15 });
      await runAndKill(storeModule, file, { afterMs: Math.random() * 150 });
      expectSound(file);
    }
  });
});
