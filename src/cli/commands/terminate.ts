import { idCommand } from '../id-command.js';

export const terminate = idCommand({
  name: 'terminate',
  describe: 'Stop a session (SIGTERM, SIGKILL after 5 s); returns once every process of it is gone',
  examples: [
    ['$0 terminate session_…', 'prints nothing; exit 3 if there is no such session'],
    ['$0 terminate session_… --json', 'prints the terminated session JSON'],
  ],
  body: async (args, client) => {
    const session = await client.request('terminate', { id: args.id });
    if (args.json) process.stdout.write(`${JSON.stringify(session, null, 2)}\n`);
  },
});
