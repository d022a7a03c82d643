/**
 * Puts the client's terminal in raw mode for an exec with a tty (its keys, ^C included, go to the
 * program) and restores it however the command ends: a normal end, a throw, or process.exit.
 */
export function rawTerminal(): () => void {
  const { stdin } = process;
  if (!stdin.isTTY) return () => undefined;
  const wasRaw = stdin.isRaw;
  stdin.setRawMode(true);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      stdin.setRawMode(wasRaw);
    } catch {
      // the terminal is gone (hung up): nothing to restore
    }
  };
  process.once('exit', restore);
  return restore;
}

/** The client terminal's size, else the classic 80×24 (stdout not a terminal). */
export function terminalSize(): { cols: number; rows: number } {
  const out = process.stdout;
  return { cols: (out.isTTY && out.columns) || 80, rows: (out.isTTY && out.rows) || 24 };
}
