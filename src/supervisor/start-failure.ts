// No imports: the supervisor's bundle holds this.

// A line that states an error: `TypeError: …`, `Error [ERR_MODULE_NOT_FOUND]: …`, `error: …`.
const ERROR_LINE = /^\s*(?:Uncaught\s+)?(?:[A-Za-z]*Error(?: \[[A-Z0-9_]+\])?|error|fatal):\s/;
// A stack frame (`    at …`): the tail of a stack is what cuts off the line that matters.
const FRAME = /^\s+at\s/;

/**
 * Why a child did not start, for a person: its own error line first (the first line of its
 * output that states an error: Node prints the thrown error's message under the source line and
 * above the stack), then the last lines it printed, stack frames left out.
 */
export function startFailureText(child: string, failure: string, output: readonly string[]): string {
  const error = output.find((line) => ERROR_LINE.test(line))?.trim();
  const last = output.filter((line) => line.trim() !== '' && !FRAME.test(line) && line.trim() !== error).slice(-5);
  const said = error ? `: ${error}` : '';
  return `child ${child} ${failure}${said}${last.length ? `; it printed: ${last.join(' | ')}` : ''}`;
}
