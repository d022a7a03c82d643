// The one worker every system runs. It says ready the way its supervisor expects
// (BENCH_READY: `sessiond` → the child helper's handshake, `ipc` → process.send('ready') as
// PM2's wait_ready and the floor expect, `none` → supervisord has no readiness), then tells the
// bench's hub "<unit> <pid>" so crash → replacement is timed the same way under every system.
// BENCH_IGNORE_TERM=1: ignores SIGTERM, SIGINT, shutdown and disconnect (stopped only by SIGKILL).
// BENCH_EXIT_ON_DISCONNECT=1: exits when its parent's IPC channel closes (the floor's orphan test).
// Signal handlers are in place before it says ready: a stop may follow the ready at once.
import { connect } from 'node:net';

const env = process.env;
const ignoreTerm = env.BENCH_IGNORE_TERM === '1';

const notifyHub = (unit) => {
  if (!env.BENCH_HUB) return;
  const socket = connect(env.BENCH_HUB, () => socket.end(`${unit} ${process.pid}\n`));
  socket.on('error', () => {});
};

const ignoreStops = () => {
  for (const event of ['SIGTERM', 'SIGINT', 'disconnect']) {
    process.removeAllListeners(event);
    process.on(event, () => {});
  }
};

if (env.BENCH_READY === 'sessiond') {
  const { startChild } = await import(new URL('../../dist/src/child/index.js', import.meta.url).href);
  const child = await startChild({ ready: false });
  if (ignoreTerm) {
    ignoreStops();
    const listeners = process.listeners('message');
    process.removeAllListeners('message');
    process.on('message', (m) => {
      if (m?.type !== 'sessiond:shutdown') for (const l of listeners) l(m);
    });
  }
  // The send scenario: each message comes back as its reply.
  child.onMessage((body) => body);
  child.ready();
  notifyHub(env.BENCH_UNIT ?? child.init.session);
} else {
  setInterval(() => {}, 1 << 30);
  if (ignoreTerm) ignoreStops();
  else for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
  if (env.BENCH_EXIT_ON_DISCONNECT === '1') process.on('disconnect', () => process.exit(0));
  if (env.BENCH_READY === 'ipc') process.send?.('ready');
  notifyHub(env.BENCH_UNIT ?? String(process.pid));
}
