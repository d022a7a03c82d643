import { idCommand } from '../id-command.js';

export const pause = idCommand({
  name: 'pause',
  describe: 'Freeze every process of a session (cgroup freezer, else SIGSTOP); its heartbeats and idle clock wait',
  examples: [
    ['$0 pause session_…', 'status paused; the session keeps its pids'],
    ['$0 pause session_… --json', 'prints the paused session JSON'],
  ],
  body: async (args, client) => {
    const session = await client.request('pause', { id: args.id });
    if (args.json) process.stdout.write(`${JSON.stringify(session, null, 2)}\n`);
  },
});
