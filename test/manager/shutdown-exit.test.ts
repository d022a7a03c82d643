import { execa } from 'execa';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { expectAllGone, tempHome } from '../helpers/proc.js';

const INDEX = join(import.meta.dirname, '..', '..', 'dist', 'src', 'index.js');
let home: ReturnType<typeof tempHome> | null = null;
afterEach(() => home?.cleanup());

// An idle spare is unreferenced (it keeps no app alive); its end at shutdown must be waited for,
// or the app's `await manager.shutdown()` never settles (Node exits 13: an unsettled top-level await).
it("an app's SessionManager shuts down with its spare ready and idle: shutdown resolves, the app exits 0, the spare is gone", { timeout: 60_000 }, async () => {
  home = tempHome();
  const app = `
    import { SessionManager } from ${JSON.stringify(INDEX)};
    const manager = new SessionManager({ home: ${JSON.stringify(join(home.dir, 'state'))} });
    await manager.terminateSession(await manager.createSession({}));
    let spares = manager.spares();
    while (!spares.some((s) => s.placeholderPid !== null)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      spares = manager.spares();
    }
    console.log(JSON.stringify(spares));
    await manager.shutdown();
    console.log('shut down');
  `;
  const run = await execa(process.execPath, ['--input-type=module', '-e', app], { reject: false, timeout: 30_000, stdin: 'ignore' });
  expect(run.exitCode, run.stderr).toBe(0);
  const [listed, last] = run.stdout.trim().split('\n');
  expect(last).toBe('shut down');
  const spares = JSON.parse(listed!) as { supervisorPid: number; placeholderPid: number }[];
  await expectAllGone(spares.flatMap((s) => [s.supervisorPid, s.placeholderPid]), 5000);
});
