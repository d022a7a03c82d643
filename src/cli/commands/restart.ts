import { idCommand } from '../id-command.js';

export const restart = idCommand({
  name: 'restart',
  describe: 'Restart every child of a session in start order, as a one_for_all restart would (counts toward no restart intensity)',
  examples: [
    ['$0 restart session_…', 'returns once every child is ready again; prints nothing'],
    ['$0 restart session_… --json', 'prints the session JSON, with the new pids'],
  ],
  body: async (args, client) => {
    const session = await client.restartSession(args.id);
    if (args.json) process.stdout.write(`${JSON.stringify(session, null, 2)}\n`);
  },
});
