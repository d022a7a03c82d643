import { idCommand } from '../id-command.js';
import { print } from '../run.js';

export const registryKeyCommand = idCommand({
  name: 'registry-key',
  describe: "Print the registry key of a session's supervisor (no daemon needed)",
  examples: [['$0 registry-key my-session', 'prints session_supervisor:my-session']],
  autoStart: false,
  body: async (args, client) => {
    const key = client.registryKey(args.id);
    print(args, { id: args.id, registryKey: key }, () => key);
  },
});
