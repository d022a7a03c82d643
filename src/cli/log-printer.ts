import type { LogEntry } from '../logs/log-records.js';

export interface LogPrinter {
  /** Prints pieces of one child's log as they come. */
  print(child: string, entries: readonly LogEntry[]): void;
  /** The output ends: a line still open is finished. */
  end(): void;
}

/**
 * Lines for a person. With `all`, each line starts `NAME | ` (the contract's prefix, stdout and
 * stderr alike); with `timestamps`, then the time sessiond captured it and the stream (`out`,
 * `err`), which tells the two apart. A line that another stream or child
 * interrupts (each wrote part of a line) is ended there and goes on in a line of its own.
 */
export function textPrinter(options: { readonly all: boolean; readonly timestamps: boolean }, write: (text: string) => void): LogPrinter {
  let open: string | null = null;
  const prefix = (child: string, entry: LogEntry) =>
    `${options.all ? `${child} | ` : ''}${options.timestamps ? `${entry.at ?? '-'.padEnd(24)} ${options.all ? `${entry.stream} ` : ''}` : ''}`;
  return {
    print(child, entries) {
      let out = '';
      for (const entry of entries) {
        const key = `${child}\0${entry.stream}`;
        if (open !== null && open !== key) out += '\n';
        if (open !== key) out += prefix(child, entry);
        out += entry.text;
        if (entry.end) out += '\n';
        open = entry.end ? null : key;
      }
      if (out) write(out);
    },
    end() {
      if (open !== null) write('\n');
      open = null;
    },
  };
}

/** `--json`: one `{ session, child, stream, at, line }` a line, once the line is whole (or the output ends). */
export function jsonPrinter(session: string, write: (text: string) => void): LogPrinter {
  const open = new Map<string, { child: string; stream: string; at: string | null; line: string }>();
  const emit = (line: { child: string; stream: string; at: string | null; line: string }) => {
    const { child, stream, at } = line;
    write(`${JSON.stringify({ session, child, stream, at, line: line.line })}\n`);
  };
  return {
    print(child, entries) {
      for (const entry of entries) {
        const key = `${child}\0${entry.stream}`;
        const line = open.get(key) ?? { child, stream: entry.stream, at: entry.at, line: '' };
        line.line += entry.text;
        if (entry.end) {
          open.delete(key);
          emit(line);
        } else open.set(key, line);
      }
    },
    end() {
      for (const line of open.values()) emit(line);
      open.clear();
    },
  };
}
