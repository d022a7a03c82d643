import { SessiondError } from '../contract/errors.js';
import { idCommand } from './id-command.js';
import { EXIT, print } from './run.js';

/**
 * `find` and `llm-agent`: print a pid, or `not_found` (as SessionManager answers) with exit 3
 * when the session or that process does not exist; the reason goes to stderr.
 */
export function pidCommand(definition: { name: 'find' | 'llm-agent'; describe: string; examples: readonly (readonly [string, string])[] }) {
  return idCommand({
    ...definition,
    body: async (args, client) => {
      try {
        const found = await client.request(definition.name, { id: args.id });
        print(args, found, () => String(found.pid));
      } catch (error) {
        if (!(error instanceof SessiondError) || error.code !== 'not_found') throw error;
        print(args, { id: args.id, pid: 'not_found' }, () => 'not_found');
        process.stderr.write(`sessionctl: ${error.message}\n`);
        return EXIT.notFound;
      }
    },
  });
}
