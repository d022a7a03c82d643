// Flags whose value may be `-` (stdin). yargs reads a lone `-` as a positional, never as a flag's value.
const STDIN_FLAGS = new Set(['--llm-config']);

/** `--llm-config -` → `--llm-config=-`, so yargs sees the value; everything after `--` is left alone. */
export function withStdinValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...out, ...args.slice(i)];
    if (STDIN_FLAGS.has(arg) && args[i + 1] === '-') {
      out.push(`${arg}=-`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
