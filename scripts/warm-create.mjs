// Where a warm create's time goes (issue 19, item 9): a daemon on a fresh state dir, then N
// default creates, each once the spare is ready and has settled (not timed), each terminated
// after. Per create: the client's round trip; the daemon's time on the request (its log's
// "request done" ms); and, from the journal's timestamps, created → active: the daemon's IPC to
// the spare supervisor, the supervisor's to its Placeholder, and back; and the CPU time each of the
// three processes spent from the send to the reply (/proc/PID/schedstat: unlike wall times, it
// holds on a loaded machine). Run: npm run build, then node scripts/warm-create.mjs [N]. Prints
// medians and p90s; never a pass or fail.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessionClient } from '../dist/src/index.js';

const trials = Number(process.argv[2] ?? 30);
const home = mkdtempSync(join(tmpdir(), 'sessiond-warm-'));
const client = new SessionClient({ home, autoStart: true });
const rows = [];
const cpuMs = (pid) => {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
};
try {
  await client.listSessions();
  for (let i = 0; i < trials + 3; i++) {
    let status;
    for (; !status?.spares.some((s) => s.placeholderPid !== null); await sleep(20)) status = await client.status();
    await sleep(300); // the spare's Placeholder loaded and idle, as a user finds it
    const spare = status.spares.find((s) => s.placeholderPid !== null);
    const pids = [status.pid, spare.supervisorPid, spare.placeholderPid];
    const cpu0 = pids.map(cpuMs);
    const t0 = performance.now();
    const id = await client.createSession();
    const total = performance.now() - t0;
    const cpu = pids.map((pid, k) => cpuMs(pid) - cpu0[k]);
    await client.terminateSession(id);
    if (i >= 3) rows.push({ id, total, cpu }); // the first creates warm up the daemon's own code
  }
} finally {
  await client.stop().catch(() => undefined);
  client.close();
}
const log = readFileSync(join(home, 'logs', 'sessiond.log'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const creates = log.filter((l) => l.method === 'create').map((l) => l.ms);
const at = (id, type) => Date.parse(log.find((l) => l.event?.session === id && l.event.type === type)?.event.at);
const figures = {
  'client round trip': rows.map((r) => r.total),
  'daemon, the request (log ms)': creates.slice(-rows.length),
  'created → active (IPC: daemon → supervisor → Placeholder → back)': rows.map((r) => at(r.id, 'session.active') - at(r.id, 'session.created')),
  'CPU, the daemon (send → reply)': rows.map((r) => r.cpu[0]),
  'CPU, the spare supervisor': rows.map((r) => r.cpu[1]),
  'CPU, the spare Placeholder': rows.map((r) => r.cpu[2]),
};
const pick = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
console.log(`${rows.length} warm creates, load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`);
for (const [name, xs] of Object.entries(figures)) console.log(`${name.padEnd(66)} p50 ${pick(xs, 0.5).toFixed(1)} ms  p90 ${pick(xs, 0.9).toFixed(1)} ms`);
rmSync(home, { recursive: true, force: true });
