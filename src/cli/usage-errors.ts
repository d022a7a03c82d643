// yargs' words for some mistakes say little to a newcomer: "Did you mean list?" (instead of what?), a missing id.
export function explainUsageError(message: string, args: readonly string[]): string {
  const words = args.filter((word, i, all) => !word.startsWith('-') && all[i - 1] !== '--home');
  // Past a command group (daemon, child), every command with a required argument takes a session id first.
  const group = words.length === 1 && ['daemon', 'child'].includes(words[0]!);
  if (message.startsWith('Not enough non-option arguments: got 0,') && !group) return "give a session id (or a unique prefix of one): 'sessionctl list' shows them";
  if (group && message.startsWith('Not enough non-option arguments')) return `give an action: see 'sessionctl ${words[0]} --help'`;
  if (!message.startsWith('Did you mean')) return message;
  const typed = words.find((word) => word !== 'daemon' && word !== 'child') ?? words[0];
  return `unknown command ${JSON.stringify(typed)}. ${message}`;
}
