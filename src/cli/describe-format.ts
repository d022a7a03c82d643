import type { ChildDescription, SessionDescription } from '../control/describe.js';

/** `info`'s lines on how the session is run (beside its status), and on how each child is (after the children's table). */
export function descriptionDetails(d: SessionDescription): { readonly session: string[]; readonly children: string[] } {
  return {
    session: [`intensity:    at most ${d.maxRestarts} restarts in ${d.maxSeconds} s`, `autoShutdown: ${d.autoShutdown}`],
    children: d.children.flatMap(childLines),
  };
}

function childLines(c: ChildDescription): string[] {
  const run = [c.file ?? c.command!, ...c.args].map(shellWord).join(' ');
  const backoff = c.backoff === 'exponential' ? `, doubling on each crash in a row up to ${c.maxRestartDelayMs} ms` : '';
  const [log, ...rotated] = c.logs;
  return [
    `child ${c.name}:${c.held ? ' (stopped on request)' : ''}`,
    c.file !== null ? `  file:         ${run}` : `  command:      ${run}`,
    `  cwd:          ${c.cwd}`,
    `  env keys:     ${c.envKeys.join(', ') || '-'}`,
    `  restart:      ${c.restart}${c.significant ? ', significant' : ''}`,
    `  shutdownMs:   ${c.shutdownMs}`,
    `  delay:        ${c.restartDelayMs} ms before a restart${backoff}`,
    `  log:          ${log}`,
    ...rotated.map((file) => `                ${file}`),
  ];
}

// A word as a shell would need it typed: quoted when it holds anything but plain characters.
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
