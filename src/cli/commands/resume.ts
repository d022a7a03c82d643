import { idCommand } from '../id-command.js';

export const resume = idCommand({
  name: 'resume',
  describe: 'Thaw a paused session: its processes continue where they stood',
  examples: [
    ['$0 resume session_…', 'back to the status it had before the pause'],
    ['$0 resume session_… --json', 'prints the session JSON'],
  ],
  body: async (args, client) => {
    const session = await client.request('resume', { id: args.id });
    if (args.json) process.stdout.write(`${JSON.stringify(session, null, 2)}\n`);
  },
});
