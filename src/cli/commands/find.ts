import { pidCommand } from '../pid-command.js';

export const find = pidCommand({
  name: 'find',
  describe: "Print the pid of a session's supervisor (not_found, exit 3, when there is none)",
  examples: [
    ['$0 find session_…', 'prints e.g. 4242'],
    ['$0 find session_… --json', '{ "id": …, "pid": 4242 }'],
  ],
});
