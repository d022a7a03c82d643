// The floor of the orphan test: a bare Node parent holding `count` workers over IPC, as a
// daemon would. It prints their pids once all are ready; when it is SIGKILLed, each worker
// learns of it from its IPC channel closing (BENCH_EXIT_ON_DISCONNECT) and exits.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const count = Number(process.argv[2] ?? 10);
const worker = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const env = { ...process.env, BENCH_READY: 'ipc', BENCH_EXIT_ON_DISCONNECT: '1' };
delete env.BENCH_HUB;

const pids = await Promise.all(
  Array.from({ length: count }, () => {
    const child = fork(worker, [], { env, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    return new Promise((resolve) => child.once('message', () => resolve(child.pid)));
  }),
);
process.stdout.write(JSON.stringify(pids) + '\n');
