import { childCommand } from '../child-command.js';

export const childRemove = childCommand({
  name: 'remove',
  describe: "Forget a stopped child: its spec goes, and it will not come back (a running child: stop it first, else exit 1)",
  examples: [
    ['$0 child stop session_… llm_agent && $0 child remove session_… llm_agent', 'stop it, then forget it'],
  ],
  change: (client, id, name) => client.removeChild(id, name),
});
