import { sessionDetails } from '../format.js';
import { idCommand } from '../id-command.js';
import { print } from '../run.js';

export const info = idCommand({
  name: 'info',
  describe: 'Show one session',
  examples: [
    ['$0 info session_…', 'status, pids, children, restarts, stats'],
    ['$0 info session_… --json', 'the session JSON'],
  ],
  body: async (args, client) => {
    const session = await client.getSessionInfo(args.id);
    print(args, session, () => sessionDetails(session));
  },
});
