import { childCommand } from '../child-command.js';

export const childStop = childCommand({
  name: 'stop',
  describe: 'Stop one child as a terminate would (SIGTERM, SIGKILL after its shutdownMs); it keeps its spec and is not restarted until asked',
  examples: [
    ['$0 child stop session_… llm_agent', 'stopped, status stopped; stopping a stopped child succeeds'],
    ['$0 child stop session_… llm_agent --json', 'prints the session JSON'],
  ],
  change: (client, id, name) => client.stopChild(id, name),
});
