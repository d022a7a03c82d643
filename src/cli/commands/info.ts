import { SessiondError } from '../../contract/errors.js';
import { descriptionDetails } from '../describe-format.js';
import { sessionDetails } from '../format.js';
import { idCommand } from '../id-command.js';
import { print } from '../run.js';

export const info = idCommand({
  name: 'info',
  describe: 'Show one session, and how each of its children is run',
  examples: [
    ['$0 info session_…', 'status, pids, children, restarts, stats; then each child: command or file and args, cwd, env keys, restart, shutdownMs, log files'],
    ['$0 info session_… --json', 'the session JSON'],
  ],
  body: async (args, client) => {
    const session = await client.getSessionInfo(args.id);
    if (args.json) return print(args, session, () => '');
    // A daemon older than `describe`, or a node that cannot answer (its session shown as last known), still gets the session shown.
    const description = await client.describe(session.id).catch((error: unknown) => {
      if (error instanceof SessiondError && (error.code === 'invalid_request' || error.code === 'node_unreachable')) return null;
      throw error;
    });
    const details = description ? descriptionDetails(description) : { session: [], children: [] };
    print(args, session, () => [sessionDetails(session, details.session), ...details.children].join('\n'));
  },
});
