/** Whether the words run `exec` or `attach` (global options before it), and ask for no --help. */
export function streamCommandOf(words: readonly string[]): boolean {
  let i = 0;
  while (i < words.length && words[i]!.startsWith('--') && words[i] !== '--') i += ['--home', '--cluster', '--cluster-creds'].includes(words[i]!) ? 2 : 1;
  const command = words[i];
  if (command !== 'exec' && command !== 'attach') return false;
  const end = words.indexOf('--');
  const ours = end === -1 ? words : words.slice(0, end);
  return !ours.includes('--help') && !ours.includes('-h');
}
