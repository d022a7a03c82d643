import { idCommand } from '../id-command.js';
import { print } from '../run.js';

export const llmAgent = idCommand({
  name: 'llm-agent',
  describe: 'Print the pid of the child named llm_agent (exit 3 when there is none)',
  examples: [
    ['$0 create --child llm_agent=./agent.js', 'a session with an llm_agent child'],
    ['$0 llm-agent session_…', 'prints its pid'],
  ],
  body: async (args, client) => {
    const found = await client.request('llm-agent', { id: args.id });
    print(args, found, () => String(found.pid));
  },
});
