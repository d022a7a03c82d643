import { childCommand } from '../child-command.js';

export const childRestart = childCommand({
  name: 'restart',
  describe: "Start a stopped child, or stop and start a running one (no crash: counts toward no restart intensity); prints its new pid",
  examples: [
    ['$0 child restart session_… llm_agent', 'prints the pid of the new llm_agent once it is ready'],
  ],
  change: (client, id, name) => client.restartChild(id, name),
});
