// Plain ANSI: the alternate screen keeps the user's scrollback; the cursor hides while we draw.
const ENTER = '\x1b[?1049h\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';
const HOME = '\x1b[H';
const CLEAR_LINE = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';

/**
 * The terminal while `top` runs: alternate screen, hidden cursor, keys read raw. `restore()`
 * puts everything back (raw mode off, cursor shown, the user's screen), once, however top
 * ends: q, Ctrl-C, a signal, or an error.
 */
export class Terminal {
  private restored = false;
  private readonly restoreOnExit = () => this.restore();

  private constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
  ) {}

  static enter(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stdout): Terminal {
    const terminal = new Terminal(input, output);
    output.write(ENTER);
    if (input.isTTY) input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    process.on('exit', terminal.restoreOnExit);
    return terminal;
  }

  get size(): { width: number; height: number } {
    return { width: this.output.columns || 80, height: this.output.rows || 24 };
  }

  /** Calls `onKey` with each key pressed (in raw mode Ctrl-C is the character \x03, not SIGINT). */
  onKey(onKey: (key: string) => void): void {
    this.input.on('data', (data: string) => {
      for (const key of data) onKey(key);
    });
  }

  onResize(onResize: () => void): void {
    this.output.on('resize', onResize);
  }

  /** Redraws the whole screen in one write, line by line over the last frame: no flicker. */
  draw(lines: readonly string[]): void {
    if (this.restored) return;
    this.output.write(HOME + lines.map((line) => line + CLEAR_LINE).join('\r\n') + CLEAR_BELOW);
  }

  restore(): void {
    if (this.restored) return;
    this.restored = true;
    process.off('exit', this.restoreOnExit);
    if (this.input.isTTY) this.input.setRawMode(false);
    this.input.pause();
    this.input.removeAllListeners('data');
    this.output.write(LEAVE);
  }
}
