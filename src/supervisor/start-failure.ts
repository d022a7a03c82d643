// No imports: the supervisor's bundle holds this.

// A line that states an error: `TypeError: …`, `Error [ERR_MODULE_NOT_FOUND]: …`, `error: …`.
const ERROR_LINE = /^\s*(?:Uncaught\s+)?(?:[A-Za-z]*Error(?: \[[A-Z0-9_]+\])?|error|fatal):\s/;
// Blank lines, and the caret under the source line that Node prints above an error.
const NOISE = /^\s*\^*\s*$/;

/**
 * Why a child did not start, for a person. When its output states an error (Node prints the
 * thrown error's message under the source line and above the stack), that line comes first,
 * then the lines just before it (where it was thrown); a stack's tail says nothing to a
 * newcomer. Otherwise the last lines it printed.
 */
export function startFailureText(child: string, failure: string, output: readonly string[]): string {
  const at = output.findIndex((line) => ERROR_LINE.test(line));
  const shown = (lines: readonly string[]) => lines.filter((line) => !NOISE.test(line)).map((line) => line.trim());
  const before = at < 0 ? shown(output).slice(-5) : shown(output.slice(0, at)).slice(-3);
  const error = at < 0 ? '' : `: ${output[at]!.trim()}`;
  return `child ${child} ${failure}${error}${before.length ? `; it printed: ${before.join(' | ')}` : ''}`;
}
