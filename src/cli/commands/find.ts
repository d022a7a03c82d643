import { idCommand } from '../id-command.js';
import { print } from '../run.js';

export const find = idCommand({
  name: 'find',
  describe: "Print the pid of a session's supervisor (exit 3 when there is none)",
  examples: [
    ['$0 find session_…', 'prints e.g. 4242'],
    ['$0 find session_… --json', '{ "id": …, "pid": 4242 }'],
  ],
  body: async (args, client) => {
    const found = await client.request('find', { id: args.id });
    print(args, found, () => String(found.pid));
  },
});
