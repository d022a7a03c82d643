// No imports: the supervisor's bundle writes these records, and each import there costs every session.

/** Which of a child's streams a piece of output came from. */
export type LogStream = 'out' | 'err';

/**
 * A piece of a child's output as its log keeps it: when the supervisor captured it (null for
 * lines of a log written before stamps were kept), the stream, the text (no newline), and
 * whether the line ends there (`end`: a newline followed) or goes on in the stream's next piece.
 */
export interface LogEntry {
  readonly at: string | null;
  readonly stream: LogStream;
  readonly text: string;
  readonly end: boolean;
}

/**
 * One record a line of the log file: `<ISO time> <out|err> <text>`, or `out+`/`err+` when the
 * child's line goes on in the stream's next record (it wrote part of a line, a prompt, say).
 * The file is still readable with `tail -f`, and later reads can show stamps and streams.
 */
export function encodeRecord(at: string, stream: LogStream, text: string, end: boolean): string {
  return `${at} ${stream}${end ? '' : '+'} ${text}\n`;
}

const RECORD = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (out|err)(\+?) /;

/** The entries of a log's text; a line that is no record (a log of an older sessiond) is taken as stdout, unstamped. */
export function decodeRecords(text: string): LogEntry[] {
  const lines = text.split('\n');
  const last = lines.pop()!;
  const entries = lines.map(decodeLine);
  // Text after the last newline: a record still being written, or an old log's unfinished line.
  if (last !== '') entries.push({ ...decodeLine(last), end: false });
  return entries;
}

function decodeLine(line: string): LogEntry {
  const match = RECORD.exec(line);
  if (!match) return { at: null, stream: 'out', text: line, end: true };
  return { at: match[1]!, stream: match[2] as LogStream, text: line.slice(match[0].length), end: match[3] === '' };
}

/** What the child printed, exactly: each entry's text, with its newline where the line ended. */
export function plainText(entries: readonly LogEntry[]): string {
  let text = '';
  for (const entry of entries) text += entry.end ? `${entry.text}\n` : entry.text;
  return text;
}

/**
 * Whole lines from pieces: the pieces of a stream's line join into one entry (stamped when its
 * first piece came), in the order the lines began. The last line of a stream may still be open.
 */
export function joinLines(entries: readonly LogEntry[]): LogEntry[] {
  const lines: { at: string | null; stream: LogStream; text: string; end: boolean }[] = [];
  const open: Partial<Record<LogStream, (typeof lines)[number]>> = {};
  for (const entry of entries) {
    const line = open[entry.stream];
    if (line) {
      line.text += entry.text;
      line.end = entry.end;
    } else lines.push({ ...entry });
    open[entry.stream] = entry.end ? undefined : (line ?? lines.at(-1));
  }
  return lines;
}
