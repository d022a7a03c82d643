import type { Argv, CommandModule } from 'yargs';
import { errorMessage } from '../../contract/errors.js';
import { SessionClient } from '../../control/client.js';
import { run, type GlobalArgs } from '../run.js';
import { Terminal } from '../top/terminal.js';
import { renderFrame, type Frame } from '../top/view.js';

const REFRESH_MS = 1000;

export const top: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'top',
  describe: 'A live view of every session (status, children, restarts, uptime, cpu, RSS), refreshed each second; q or Ctrl-C quits',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .example('$0 top', 'sorted by status, then oldest first; the screen comes back as it was on quit')
      .example('$0 top | cat', 'not a terminal: prints one frame and exits'),
  handler: (args) =>
    run(args, async (client) => {
      // The first read starts the daemon if it is down, as every command that needs it does.
      const first = await read(client);
      if (!process.stdout.isTTY) {
        process.stdout.write(`${renderFrame(first, { width: 200, height: first.sessions.length + 4 }).filter((l) => l !== '').join('\n')}\n`);
        return;
      }
      // From here on the daemon is only asked, never started: a client that starts it would bring a stopped one back.
      const asking = () => new SessionClient({ ...client.options, autoStart: false });
      return live(asking(), first, asking);
    }),
};

// One daemon's sessions and status; across a cluster, every node's sessions and the nodes (a daemon's status is local only).
async function read(client: SessionClient): Promise<Frame> {
  if (client.options.cluster) {
    const [sessions, nodes] = await Promise.all([client.listSessions(), client.nodes()]);
    return { sessions, status: null, nodes, problem: null };
  }
  const [sessions, status] = await Promise.all([client.listSessions(), client.request('status', {})]);
  return { sessions, status, problem: null };
}

// Refreshes until q, Ctrl-C or a signal. A daemon (or cluster) that goes away is shown, and asked again each second, never restarted.
function live(client: SessionClient, first: Frame, reopen: () => SessionClient): Promise<number> {
  const terminal = Terminal.enter();
  let frame = first;
  let current = client;
  const draw = () => terminal.draw(renderFrame(frame, terminal.size));
  draw();
  return new Promise((resolve) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void read(current)
        .then(
          (next) => (frame = next),
          (error: unknown) => {
            current.close();
            current = reopen();
            frame = { sessions: [], status: null, nodes: frame.nodes && [], problem: `${errorMessage(error)}; asking again every second` };
          },
        )
        .finally(() => {
          busy = false;
          draw();
        });
    }, REFRESH_MS);
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const quit = () => {
      clearInterval(timer);
      for (const signal of signals) process.off(signal, quit);
      terminal.restore();
      current.close();
      resolve(0);
    };
    terminal.onKey((key) => {
      if (key === 'q' || key === 'Q' || key === '\x03') quit();
    });
    terminal.onResize(draw);
    for (const signal of signals) process.on(signal, quit);
  });
}
