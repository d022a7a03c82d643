import { pidCommand } from '../pid-command.js';

export const llmAgent = pidCommand({
  name: 'llm-agent',
  describe: 'Print the pid of the child named llm_agent (not_found, exit 3, when there is none)',
  examples: [
    ['$0 create --child llm_agent=./agent.mjs', 'a session with an llm_agent child'],
    ['$0 llm-agent session_…', 'prints its pid'],
  ],
});
