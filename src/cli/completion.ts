import { probe } from '../control/autostart.js';
import { Connection } from '../control/connection.js';
import { statePaths } from '../contract/paths.js';
import type { SessionInfo } from '../contract/session.js';

const KEY = '--get-yargs-completions';

// The commands whose first argument after their name is a session id (`child add ID …`: after two words).
const ID_AFTER: Readonly<Record<string, number>> = {
  info: 1, find: 1, 'llm-agent': 1, 'registry-key': 1, terminate: 1, kill: 1, logs: 1, pause: 1, resume: 1, restart: 1, send: 1, child: 2,
};
const ID_FLAGS = new Set(['--session']);

type Filter = (onCompleted: (error: Error | null, completions: string[] | undefined) => void) => void;

/**
 * When the shell asks for completions where a session id goes, the ids of the running
 * daemon's sessions (none when it is down: completion never starts it). Read before yargs
 * parses, since yargs takes a completion's answer synchronously.
 */
export async function sessionIdsToComplete(argv: readonly string[] = process.argv): Promise<string[]> {
  const at = argv.indexOf(KEY);
  if (at === -1) return [];
  const words = argv.slice(at + 2); // the program's name comes first
  if (!wantsId(words)) return [];
  try {
    const paths = statePaths(homeOf(words));
    if (!(await probe(paths))) return [];
    const connection = await Connection.open(paths.socket);
    try {
      return ((await connection.request('list', { all: false })) as SessionInfo[]).map((s) => s.id);
    } finally {
      connection.close();
    }
  } catch {
    return [];
  }
}

/** Where an id goes, the ids that fit what is typed; elsewhere yargs' own completions (commands, flags, choices). */
export function completion(ids: readonly string[]) {
  return (current: string, _argv: unknown, filter: Filter, done: (completions: string[]) => void): void => {
    if (ids.length) return done(ids.filter((id) => id.startsWith(current)));
    filter((error, defaults) => done(error ? [] : (defaults ?? [])));
  };
}

function wantsId(words: readonly string[]): boolean {
  const current = words.at(-1) ?? '';
  if (current.startsWith('-')) return false;
  const before = words.slice(0, -1);
  if (ID_FLAGS.has(before.at(-1) ?? '')) return true;
  const positional = before.filter((word, i) => !word.startsWith('-') && before[i - 1] !== '--home');
  const command = positional[0];
  return command !== undefined && ID_AFTER[command] === positional.length;
}

function homeOf(words: readonly string[]): string | undefined {
  for (const [i, word] of words.entries()) {
    if (word === '--home') return words[i + 1];
    if (word.startsWith('--home=')) return word.slice('--home='.length);
  }
  return undefined;
}
