// Where the orphans' time goes (bench scenario `orphans`): a daemon on a fresh state dir with N
// default sessions is SIGKILLed, and /proc is polled every ms until each session's supervisor,
// child and spare is gone. Prints each one's time after the SIGKILL; never a pass or fail.
// Run: npm run build, then node scripts/orphan-exit.mjs [N]. Leaves nothing: the daemon is started
// once more on its state dir at the end (its sweep removes what the killed one left) and stopped.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionClient } from '../dist/src/index.js';

const count = Number(process.argv[2] ?? 10);
const home = mkdtempSync(join(tmpdir(), 'sessiond-orphans-'));
const client = new SessionClient({ home, autoStart: true });
const running = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !'ZX'.includes(stat[stat.lastIndexOf(')') + 2]);
  } catch {
    return false;
  }
};
try {
  for (let i = 0; i < count; i++) await client.createSession();
  const status = await client.status();
  const sessions = await client.listSessions();
  const groups = {
    supervisors: sessions.map((s) => s.supervisorPid),
    children: sessions.flatMap((s) => s.children.map((c) => c.pid)),
    spares: status.spares.flatMap((s) => [s.supervisorPid, s.placeholderPid]),
  };
  const all = Object.values(groups).flat().filter((pid) => pid !== null);
  const gone = new Map();
  const t0 = performance.now();
  process.kill(status.pid, 'SIGKILL');
  while (gone.size < all.length && performance.now() - t0 < 5000) {
    for (const pid of all) if (!gone.has(pid) && !running(pid)) gone.set(pid, performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  for (const [name, pids] of Object.entries(groups)) console.log(`${name.padEnd(12)} gone after (ms): ${pids.filter((pid) => pid !== null).map((pid) => (gone.has(pid) ? gone.get(pid).toFixed(0) : 'still running')).join(' ')}`);
} finally {
  // A SIGKILLed daemon leaves its empty cgroups to its next start on this state dir: start it, stop it.
  await client.listSessions().then(() => client.stop()).catch((error) => console.error(`cleanup: ${error.message}`));
  client.close();
  rmSync(home, { recursive: true, force: true });
}
