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
      const [sessions, status] = await Promise.all([client.listSessions(), client.request('status', {})]);
      const first: Frame = { sessions, status, problem: null };
      if (!process.stdout.isTTY) {
        process.stdout.write(`${renderFrame(first, { width: 200, height: sessions.length + 4 }).filter((l) => l !== '').join('\n')}\n`);
        return;
      }
      return live(client, first, args.home);
    }),
};

// Refreshes until q, Ctrl-C or a signal. A daemon that goes away is shown, and asked again each second, never restarted.
function live(client: SessionClient, first: Frame, home: string | undefined): Promise<number> {
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
      void Promise.all([current.listSessions(), current.request('status', {})])
        .then(
          ([sessions, status]) => (frame = { sessions, status, problem: null }),
          (error: unknown) => {
            current.close();
            current = new SessionClient({ home, autoStart: false });
            frame = { sessions: [], status: null, problem: `${errorMessage(error)}; asking again every second` };
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
